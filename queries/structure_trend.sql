-- structure_trend: the structure at each date of a series (year ends):
-- headcount, mean age, share under 35, share with 大学本科 or above, middle
-- cadres and the share of them under 40. Shares are of those in office.
-- Reads state_series (rows of timeline_state_at for several dates, as_of
-- telling them apart, registered by cadre.timeline).
-- params: $bachelor_plus (educations at or above 大学本科)
with
in_office as (
    select * from state_series where in_office
),
final as (
    select
        as_of,
        count(*) as headcount,
        avg(age) as mean_age,
        avg(case when age < 35 then 1.0 else 0.0 end) as share_under_35,
        avg(case when list_contains($bachelor_plus, education) then 1.0 else 0.0 end)
            as bachelor_plus_share,
        count(*) filter (where is_middle) as middle_count,
        avg(case when age < 40 then 1.0 else 0.0 end) filter (where is_middle)
            as middle_under_40_share
    from in_office
    group by as_of
)
select * from final
order by as_of
