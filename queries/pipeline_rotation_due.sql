-- pipeline_rotation_due: everyone in office at $date who has held the same
-- post (section and position) for $years whole years or more, by section.
-- Years in post run from post_since (the latest movement that changed the
-- section or position, else the roster's post_since).
-- Reads person_state (rows of timeline_state_at, registered by cadre.timeline).
-- params: $date, $years (the rotation_years setting)
with
params as (
    select cast($date as date) as d
),
final as (
    select
        s.section, s.person_id, s.name, s.position, s.rank, s.is_middle, s.is_leadership,
        s.post_since, s.years_in_post
    from person_state s
    cross join params p
    where s.in_office
      and s.post_since is not null
      and s.post_since + to_months(cast(round($years * 12) as integer)) <= p.d
)
select * from final
order by section, years_in_post desc, person_id
