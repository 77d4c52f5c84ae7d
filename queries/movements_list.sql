-- movements_list: a span's movements for the page, in date and file order,
-- with what each means (promotion, new middle cadre) and the state around it.
-- Reads movement_states (rows of timeline_movements, registered by cadre.timeline).
with
final as (
    select
        date, seq, person_id, name, kind,
        section_before, section_after,
        position_before, position_after,
        rank_from, rank_after,
        destination, note,
        is_promotion, is_new_middle, middle_before, middle_after
    from movement_states
)
select * from final
order by date, seq, person_id
