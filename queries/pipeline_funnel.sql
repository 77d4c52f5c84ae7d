-- pipeline_funnel: the rank ladder at the state's date, people in office per
-- step in ladder order (zeros included; ranks off the ladder after it), with
-- women, mean age and mean years in rank.
-- Reads person_state (rows of timeline_state_at, registered by cadre.timeline).
-- params: $ladder (ranks low to high)
with
in_office as (
    select * from person_state where in_office
),
ranks as (
    select unnest($ladder) as rank, generate_subscripts($ladder, 1) as step
    union all
    select distinct rank, null from in_office where not list_contains($ladder, rank)
),
counts as (
    select rank, count(*) as headcount,
           count(*) filter (where gender = '女') as women,
           avg(age) as mean_age,
           avg(years_in_rank) as mean_years_in_rank
    from in_office
    group by rank
),
final as (
    select r.rank, r.step, coalesce(c.headcount, 0) as headcount,
           coalesce(c.women, 0) as women, c.mean_age, c.mean_years_in_rank
    from ranks r
    left join counts c on c.rank = r.rank
)
select * from final
order by step nulls last, rank
