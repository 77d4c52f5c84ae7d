-- movements_promotions_by_rank: promotions counted by the rank reached, one
-- row per ladder step above the lowest (zeros included), in ladder order.
-- Reads movement_states (rows of timeline_movements, registered by cadre.timeline).
-- params: $ladder (ranks low to high)
with
steps as (
    select unnest($ladder) as rank, generate_subscripts($ladder, 1) as step
),
counts as (
    select to_rank as rank, count(*) as n
    from movement_states
    where is_promotion
    group by to_rank
),
final as (
    select s.rank, s.step, coalesce(c.n, 0) as n
    from steps s
    left join counts c on c.rank = s.rank
    where s.step > 1
)
select * from final
order by step
