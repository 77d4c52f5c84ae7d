-- movements_summary: a year's appointments and moves, counted.
-- Reads movement_states (the rows of timeline_movements for the year,
-- registered by cadre.timeline). Every movement counts, leadership included:
-- promotions by the ladder whatever the kind; transferred_out_promoted the
-- 调出 among them; rotations kind 轮岗; hires 录用 + 调入; exits 调出 + 退休;
-- new middle cadres: movements into a middle-level post by a person who did
-- not hold one just before it.
with
final as (
    select
        count(*) as movements,
        count(*) filter (where is_promotion) as promotions,
        count(*) filter (where is_promotion and kind = '调出') as transferred_out_promoted,
        count(*) filter (where kind = '轮岗') as rotations,
        count(*) filter (where kind in ('录用', '调入')) as hires,
        count(*) filter (where kind in ('调出', '退休')) as exits,
        count(*) filter (where is_new_middle) as new_middle_cadres
    from movement_states
)
select * from final
