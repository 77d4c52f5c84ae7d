-- views_structure_headline: the headline figures of the structure page for
-- the people in office in person_state (rows of timeline_state_at, possibly
-- filtered to a section or to the middle-level cadres; registered by
-- cadre.cadre_views): headcount, women, mean age, share under 35, share with
-- 大学本科 or above, middle cadres and their share under 40.
-- params: $bachelor_plus (educations at or above 大学本科)
with
in_office as (
    select * from person_state where in_office
),
final as (
    select
        count(*) as headcount,
        count(*) filter (where gender = '女') as women,
        avg(age) as mean_age,
        avg(case when age < 35 then 1.0 else 0.0 end) as share_under_35,
        avg(case when list_contains($bachelor_plus, education) then 1.0 else 0.0 end)
            as bachelor_plus_share,
        count(*) filter (where is_middle) as middle_count,
        avg(case when age < 40 then 1.0 else 0.0 end) filter (where is_middle)
            as middle_under_40_share
    from in_office
)
select * from final
