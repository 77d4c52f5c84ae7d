-- structure_figures: the structure figures of the people in office at each
-- date of a series (a single date is a series of one): headcount, women,
-- mean age, share under 35, share with 大学本科 or above, middle-level cadres,
-- their mean age and their share under 40. Shares are of those in office.
-- Reads person_state (rows of timeline_state_at for one or more dates, as_of
-- telling them apart, possibly cut to a section or to the middle cadres;
-- registered by cadre.timeline). A date with nobody in office has no row.
-- params: $bachelor_plus (educations at or above 大学本科)
with
in_office as (
    select * from person_state where in_office
),
final as (
    select
        as_of,
        count(*) as headcount,
        count(*) filter (where gender = '女') as women,
        avg(age) as mean_age,
        avg(case when age < 35 then 1.0 else 0.0 end) as share_under_35,
        avg(case when list_contains($bachelor_plus, education) then 1.0 else 0.0 end)
            as bachelor_plus_share,
        count(*) filter (where is_middle) as middle_count,
        avg(age) filter (where is_middle) as middle_mean_age,
        avg(case when age < 40 then 1.0 else 0.0 end) filter (where is_middle)
            as middle_under_40_share
    from in_office
    group by as_of
)
select * from final
order by as_of
