-- structure_by_section: per section (leadership included, flagged), people in
-- office, women, mean age, middle cadres, share with 大学本科 or above.
-- Reads person_state (rows of timeline_state_at, registered by cadre.timeline).
-- params: $bachelor_plus (educations at or above 大学本科), $leadership
with
in_office as (
    select * from person_state where in_office
),
final as (
    select
        section,
        section is not distinct from $leadership as is_leadership,
        count(*) as headcount,
        count(*) filter (where gender = '女') as women,
        avg(age) as mean_age,
        count(*) filter (where is_middle) as middle_count,
        avg(case when list_contains($bachelor_plus, education) then 1.0 else 0.0 end)
            as bachelor_plus_share
    from in_office
    group by section
)
select * from final
order by is_leadership desc, section
