-- pipeline_time_in_rank: each promotion with the years spent in the rank it
-- left (from the movement that set that rank, else the roster's rank_since
-- when it was that rank; years null when unknown).
-- Reads movement_states (rows of timeline_movements, registered by cadre.timeline).
-- params: $ladder (ranks low to high)
with
final as (
    select
        person_id, name, date, kind,
        rank_from as from_rank, to_rank,
        list_position($ladder, to_rank) as to_step,
        rank_since_before as rank_since,
        case when rank_since_before <= date
             then date_diff('day', rank_since_before, date) / 365.25 end as years
    from movement_states
    where is_promotion
)
select * from final
order by to_step, from_rank, date, person_id
