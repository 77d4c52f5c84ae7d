-- pipeline_eligibility: for each person in office at $date, the next step up
-- the ladder and, rule by rule, whether they meet the promotion rules of that
-- step (settings promotion_rules): whole years in rank, whole years of
-- service, the official annual grades of the last grade_years annual periods
-- ending on or before the date (none 基本称职/不称职 when no_basic_in_years;
-- at least min_excellent 优秀), and an education floor (educations high to
-- low). A rule not set passes. A rule whose date is unknown (rank_since,
-- join_work_date: neither the roster nor the movements give it) is neither
-- passed nor failed: it is listed in `unknown`, not in `blocking`, and the
-- person is not eligible; `undetermined` marks those who fail no known rule
-- but have an unknown one (contract extension, docs/contract.md).
-- blocking lists the failed rules; at the top of the ladder (or off it)
-- there is no next step and blocking is ['no_next_rank'].
-- Reads person_state (rows of timeline_state_at, registered by cadre.timeline)
-- and the assessments table.
-- params: $date, $ladder, $educations (high to low), and one list per rule
--         field, one element per step: $rule_rank, $rule_min_years_in_rank,
--         $rule_min_years_service, $rule_grade_years, $rule_no_basic,
--         $rule_min_excellent, $rule_education_floor
with
params as (
    select cast($date as date) as d
),
rules as (
    select
        unnest($rule_rank) as next_rank,
        unnest($rule_min_years_in_rank) as min_years_in_rank,
        unnest($rule_min_years_service) as min_years_service,
        unnest($rule_grade_years) as grade_years,
        unnest($rule_no_basic) as no_basic_in_years,
        unnest($rule_min_excellent) as min_excellent,
        unnest($rule_education_floor) as education_floor
),
people as (
    select
        s.person_id, s.name, s.gender, s.age, s.section, s.position, s.rank, s.rank_step,
        s.education, s.rank_since, s.join_work_date, s.years_in_rank, s.service_years,
        s.is_middle, s.is_head, s.is_deputy, coalesce(s.reserve, false) as reserve,
        case when s.rank_step < len($ladder) then $ladder[s.rank_step + 1] end as next_rank
    from person_state s
    where s.in_office
),
with_rules as (
    select p.*, r.min_years_in_rank, r.min_years_service, r.grade_years,
           r.no_basic_in_years, r.min_excellent, r.education_floor
    from people p
    left join rules r on r.next_rank = p.next_rank
),
official as (
    -- a person's official grade in an annual period: the same wherever given
    select person_id, period, period_end, max(grade) as grade
    from assessments
    where period_kind = 'annual' and grade is not null
    group by person_id, period, period_end
),
recent as (
    select
        w.person_id,
        count(o.grade) as graded_periods,
        count(o.grade) filter (where o.grade in ('基本称职', '不称职')) as basic_or_below,
        count(o.grade) filter (where o.grade = '优秀') as excellent
    from with_rules w
    cross join params p
    left join official o
        on o.person_id = w.person_id
       and o.period_end <= p.d
       and o.period_end > p.d - to_years(cast(coalesce(w.grade_years, 0) as integer))
    group by w.person_id
),
checked as (
    select
        w.*,
        p.d as as_of,
        coalesce(g.graded_periods, 0) as graded_periods,
        coalesce(g.basic_or_below, 0) as basic_or_below,
        coalesce(g.excellent, 0) as excellent,
        w.min_years_in_rank is null
            or coalesce(w.rank_since + to_months(cast(round(w.min_years_in_rank * 12) as integer)) <= p.d, false)
            as pass_years_in_rank,
        w.min_years_in_rank is not null and w.rank_since is null as unknown_years_in_rank,
        w.min_years_service is not null and w.join_work_date is null as unknown_years_service,
        w.min_years_service is null
            or coalesce(w.join_work_date + to_months(cast(round(w.min_years_service * 12) as integer)) <= p.d, false)
            as pass_years_service,
        not coalesce(w.no_basic_in_years, false) or coalesce(g.basic_or_below, 0) = 0
            as pass_no_basic,
        coalesce(g.excellent, 0) >= coalesce(w.min_excellent, 0) as pass_excellent,
        w.education_floor is null
            or coalesce(list_position($educations, w.education)
                        <= list_position($educations, w.education_floor), false)
            as pass_education
    from with_rules w
    cross join params p
    left join recent g on g.person_id = w.person_id
),
final as (
    select
        person_id, name, gender, age, section, position, rank, rank_step, next_rank, education, reserve,
        is_middle, is_head, is_deputy,
        rank_since, years_in_rank, join_work_date, service_years,
        graded_periods, basic_or_below, excellent,
        pass_years_in_rank, pass_years_service, pass_no_basic, pass_excellent, pass_education,
        next_rank is not null and unknown_years_in_rank as unknown_years_in_rank,
        next_rank is not null and unknown_years_service as unknown_years_service,
        next_rank is not null
            and pass_years_in_rank and pass_years_service and pass_no_basic
            and pass_excellent and pass_education as eligible,
        next_rank is not null
            and (unknown_years_in_rank or unknown_years_service)
            and (pass_years_in_rank or unknown_years_in_rank)
            and (pass_years_service or unknown_years_service)
            and pass_no_basic and pass_excellent and pass_education as undetermined,
        list_filter(
            [case when next_rank is not null and unknown_years_in_rank then 'min_years_in_rank' end,
             case when next_rank is not null and unknown_years_service then 'min_years_service' end],
            lambda x: x is not null) as unknown,
        case when next_rank is null then ['no_next_rank']
             else list_filter(
                 [case when not pass_years_in_rank and not unknown_years_in_rank then 'min_years_in_rank' end,
                  case when not pass_years_service and not unknown_years_service then 'min_years_service' end,
                  case when not pass_no_basic then 'no_basic_in_years' end,
                  case when not pass_excellent then 'min_excellent' end,
                  case when not pass_education then 'education_floor' end],
                 lambda x: x is not null)
        end as blocking
    from checked
)
select * from final
order by section, rank_step desc nulls last, person_id
