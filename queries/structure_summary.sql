-- structure_summary: headcount and mean age of everyone in office at the
-- state's date (leadership included), and of the middle-level cadres.
-- Reads person_state (rows of timeline_state_at, registered by cadre.timeline).
with
in_office as (
    select * from person_state where in_office
),
final as (
    select
        count(*) as headcount,
        avg(age) as mean_age,
        count(*) filter (where is_middle) as middle_count,
        avg(age) filter (where is_middle) as middle_mean_age,
        count(*) filter (where is_leadership) as leadership_count
    from in_office
)
select * from final
