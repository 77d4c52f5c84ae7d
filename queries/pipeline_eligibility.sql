-- pipeline_eligibility: for each person in office at $date, the next step up
-- the ladder and, rule by rule, whether they meet the promotion rules of that
-- step (settings promotion_rules): whole years in rank, whole years of
-- service, the official annual grades of the last grade_years annual periods
-- ending on or before the date (none 基本称职/不称职 when no_basic_in_years;
-- at least min_excellent 优秀), and an education floor (educations high to
-- low). A rule not set passes. A rule whose date is unknown (rank_since,
-- join_work_date: neither the roster nor the movements give it) is neither
-- passed nor failed (a years-of-service rule of 0 asks for no date): it is
-- listed in `unknown`, not in `blocking`, and the
-- person is not eligible; `undetermined` marks those who fail no known rule
-- but have an unknown one (contract extension, docs/contract.md).
-- blocking lists the failed rules; at the top of the ladder (or off it)
-- there is no next step and blocking is ['no_next_rank'].
-- Reads person_state (rows of timeline_state_at, registered by cadre.timeline)
-- and the assessments table.
-- Time in rank (settings rank_whole_months, rank_grade_adjust, rank_places;
-- the 2019 preset, docs/contract.md): with $whole_months the years in rank
-- are whole months from the month the rank was taken; each official 优秀
-- annual grade ending in the current rank (after rank_since, by the date)
-- takes $excellent_months off the requirement, each 基本称职 adds
-- $basic_months; with both 0 and day counting the rule is the demo's.
-- eligible_from: the first day both time rules are met (null when another
-- rule blocks or a date is unknown). 职数: $places_rank/$places_n give the
-- places per rank (none: no limit); people eligible for a rank beyond its
-- free places (places less those holding it) wait, earliest eligible_from
-- first, then longer in rank, then person_id: not eligible, blocking
-- ['rank_places']. rank_time_from / service_time_from: the day each time
-- rule is met whatever else blocks (null: no such rule or its date unknown),
-- for the succession board's "when it clears".
-- params: $date, $ladder, $educations (high to low), and one list per rule
--         field, one element per step: $rule_rank, $rule_min_years_in_rank,
--         $rule_min_years_service, $rule_grade_years, $rule_no_basic,
--         $rule_min_excellent, $rule_education_floor; $whole_months,
--         $excellent_months, $basic_months, $places_rank, $places_n
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
in_rank as (
    -- official annual grades ending in the current rank, by the date
    select
        w.person_id,
        count(o.grade) filter (where o.grade = '优秀') as excellent_in_rank,
        count(o.grade) filter (where o.grade = '基本称职') as basic_in_rank
    from with_rules w
    cross join params p
    join official o
        on o.person_id = w.person_id
       and o.period_end <= p.d
       and o.period_end > w.rank_since
    group by w.person_id
),
timed as (
    select
        w.*,
        coalesce(i.excellent_in_rank, 0) as excellent_in_rank,
        coalesce(i.basic_in_rank, 0) as basic_in_rank,
        greatest(0, cast(round(w.min_years_in_rank * 12) as integer)
                    - cast($excellent_months as integer) * coalesce(i.excellent_in_rank, 0)
                    + cast($basic_months as integer) * coalesce(i.basic_in_rank, 0)) as rank_months_needed,
        case when $whole_months
             then date_trunc('month', w.rank_since)
             else w.rank_since end as rank_count_from
    from with_rules w
    left join in_rank i on i.person_id = w.person_id
),
checked as (
    select
        w.*,
        p.d as as_of,
        coalesce(g.graded_periods, 0) as graded_periods,
        coalesce(g.basic_or_below, 0) as basic_or_below,
        coalesce(g.excellent, 0) as excellent,
        w.min_years_in_rank is null
            or coalesce(w.rank_count_from + to_months(w.rank_months_needed) <= p.d, false)
            as pass_years_in_rank,
        cast(w.rank_count_from + to_months(w.rank_months_needed) as date) as rank_time_from,
        case when coalesce(w.min_years_service, 0) > 0
             then cast(w.join_work_date + to_months(cast(round(w.min_years_service * 12) as integer)) as date)
        end as service_time_from,
        w.min_years_in_rank is not null and w.rank_since is null as unknown_years_in_rank,
        coalesce(w.min_years_service, 0) > 0 and w.join_work_date is null as unknown_years_service,
        coalesce(w.min_years_service, 0) = 0
            or coalesce(w.join_work_date + to_months(cast(round(w.min_years_service * 12) as integer)) <= p.d, false)
            as pass_years_service,
        not coalesce(w.no_basic_in_years, false) or coalesce(g.basic_or_below, 0) = 0
            as pass_no_basic,
        coalesce(g.excellent, 0) >= coalesce(w.min_excellent, 0) as pass_excellent,
        w.education_floor is null
            or coalesce(list_position($educations, w.education)
                        <= list_position($educations, w.education_floor), false)
            as pass_education
    from timed w
    cross join params p
    left join recent g on g.person_id = w.person_id
),
ruled as (
    select
        *,
        next_rank is not null
            and pass_years_in_rank and pass_years_service and pass_no_basic
            and pass_excellent and pass_education as rules_met,
        case when next_rank is not null
                  and not (min_years_in_rank is not null and rank_since is null)
                  and not (coalesce(min_years_service, 0) > 0 and join_work_date is null)
                  and pass_no_basic and pass_excellent and pass_education
             then nullif(greatest(
                     coalesce(case when min_years_in_rank is not null then rank_time_from end, date '0001-01-01'),
                     coalesce(service_time_from, date '0001-01-01')), date '0001-01-01')
        end as time_from
    from checked
),
places as (
    select unnest($places_rank) as place_rank, unnest($places_n) as place_n
),
holders as (
    select rank as place_rank, count(*) as held from people group by rank
),
queued as (
    select
        r.*,
        pl.place_n,
        greatest(0, coalesce(pl.place_n, 0) - coalesce(h.held, 0)) as free_places,
        case when r.rules_met then row_number() over (
            partition by r.next_rank, r.rules_met
            order by r.time_from nulls last, r.years_in_rank desc nulls last, r.person_id) end as queue_no
    from ruled r
    left join places pl on pl.place_rank = r.next_rank
    left join holders h on h.place_rank = r.next_rank
),
final as (
    select
        person_id, name, gender, age, section, position, rank, rank_step, next_rank, education, reserve,
        is_middle, is_head, is_deputy,
        rank_since, years_in_rank, join_work_date, service_years,
        graded_periods, basic_or_below, excellent,
        pass_years_in_rank, pass_years_service, pass_no_basic, pass_excellent, pass_education,
        excellent_in_rank, basic_in_rank, rank_months_needed,
        case when min_years_in_rank is not null then rank_time_from end as rank_time_from,
        service_time_from,
        place_n is null or not rules_met or queue_no <= free_places as pass_places,
        case when place_n is null or not rules_met or queue_no <= free_places then time_from end
            as eligible_from,
        next_rank is not null and unknown_years_in_rank as unknown_years_in_rank,
        next_rank is not null and unknown_years_service as unknown_years_service,
        rules_met and (place_n is null or queue_no <= free_places) as eligible,
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
                  case when not pass_education then 'education_floor' end,
                  case when rules_met and place_n is not null and queue_no > free_places
                       then 'rank_places' end],
                 lambda x: x is not null)
        end as blocking
    from queued
)
select * from final
order by section, rank_step desc nulls last, person_id
