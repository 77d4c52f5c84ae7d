-- structure_middle_cadres: the middle-level cadres in office (head or deputy
-- titles outside the leadership section), one row each.
-- Reads person_state (rows of timeline_state_at, registered by cadre.timeline).
with
final as (
    select
        section, position, is_head, person_id, name, gender, age, education,
        rank, rank_since, years_in_rank, post_since, years_in_post, reserve
    from person_state
    where is_middle
)
select * from final
order by section, is_head desc, person_id
