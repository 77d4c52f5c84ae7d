-- pipeline_succession: succession risk per compared section at $date: the
-- head (vacant when none), their age, years to retirement (the retirement age
-- of their gender reached on that birthday), deputies in office and how many
-- of them meet the rules for their next step. risk: 'vacant' without a head;
-- 'high' when the head retires within $horizon years and no deputy is
-- eligible; 'medium' when one of the two holds; else 'low'.
-- Reads section_heads (rows of timeline_heads) and eligibility (rows of
-- pipeline_eligibility), registered by cadre.timeline.
-- params: $date, $retire_genders, $retire_ages (parallel lists), $horizon (years)
with
params as (
    select cast($date as date) as d
),
retirement as (
    select unnest($retire_genders) as gender, unnest($retire_ages) as retirement_age
),
deputies as (
    select section,
           count(*) as deputies,
           count(*) filter (where eligible) as eligible_deputies
    from eligibility
    where is_deputy
    group by section
),
heads as (
    select
        h.*,
        r.retirement_age,
        case when h.head_id is not null and r.retirement_age is not null
             then date_diff('day', p.d,
                            h.head_birth_date + to_years(cast(r.retirement_age as integer))) / 365.25
        end as years_to_retirement
    from section_heads h
    cross join params p
    left join retirement r on r.gender = h.head_gender
),
final as (
    select
        h.section, h.head_id, h.head_name, h.head_gender, h.head_age, h.head_rank,
        h.head_since, h.retirement_age, h.years_to_retirement,
        coalesce(d.deputies, 0) as deputies,
        coalesce(d.eligible_deputies, 0) as eligible_deputies,
        case
            when h.head_id is null then 'vacant'
            when coalesce(h.years_to_retirement <= $horizon, false)
                 and coalesce(d.eligible_deputies, 0) = 0 then 'high'
            when coalesce(h.years_to_retirement <= $horizon, false)
                 or coalesce(d.eligible_deputies, 0) = 0 then 'medium'
            else 'low'
        end as risk
    from heads h
    left join deputies d on d.section = h.section
)
select * from final
order by case risk when 'vacant' then 0 when 'high' then 1 when 'medium' then 2 else 3 end,
         years_to_retirement nulls first, section
