-- structure_education_mode: people in office by education (high to low) and
-- education mode (全日制 / 在职; null when not given); every education ×
-- listed mode present, values off the lists after them.
-- Reads person_state (rows of timeline_state_at, registered by cadre.timeline).
-- params: $educations (high to low), $modes
with
in_office as (
    select education, education_mode from person_state where in_office
),
educations as (
    select unnest($educations) as education, generate_subscripts($educations, 1) as education_order
    union all
    select distinct education, 1000 from in_office where not list_contains($educations, education)
),
modes as (
    select unnest($modes) as education_mode, generate_subscripts($modes, 1) as mode_order
    union all
    select distinct education_mode, 1000 from in_office
    where education_mode is null or not list_contains($modes, education_mode)
),
counts as (
    select education, education_mode, count(*) as n
    from in_office group by education, education_mode
),
final as (
    select e.education, e.education_order, m.education_mode, m.mode_order, coalesce(c.n, 0) as n
    from educations e
    cross join modes m
    left join counts c
        on c.education = e.education and c.education_mode is not distinct from m.education_mode
)
select * from final
order by education_order, education, mode_order, education_mode
