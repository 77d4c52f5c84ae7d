-- _assessment_sections: each asked assessment row with the person's name and
-- the section it counts for (not a query on its own: a block of CTEs pulled
-- in by `-- @include _assessment_sections` after the including query's own
-- rows_asked CTE, which picks the rows; the block ends with `final`, so the
-- including query selects from it).
-- Section (contract, "an assessment's section"): the row's section column
-- (any of the person's rows for the period that gives one), else the section
-- at the period's end: the to_section of the latest movement on or before it
-- that names one (same-date movements in file order), else the from_section
-- of the earliest later movement that names one, else the roster's section.
-- "The section at the period's end" is the one walk over each person's
-- movements that the timeline uses too (_timeline_person_state: the state
-- after the last movement on or before the date, else the initial state), so
-- an assessment and the structure pages cannot disagree on where a person was.
-- period_grade: the person-period's first official grade in source order
-- (what scoring takes as the official grade from rows ordered by source), so
-- that a query may leave its rows unordered and still score the same.
-- Needs: the CTEs of _timeline_person_state and rows_asked (assessment rows
-- with points).
person_periods as (
    select person_id, period, any_value(period_end) as period_end,
           max(section) as row_section,
           arg_min(grade, source) filter (where grade is not null) as period_grade
    from rows_asked
    group by person_id, period
),
last_of_day as (
    -- the state after each date's last movement (file order)
    select person_id, date, section_after
    from states
    qualify row_number() over (partition by person_id, date order by ord desc) = 1
),
firsts as (
    select person_id, section_initial from states where ord = 1
),
located as (
    select
        pp.person_id, pp.period,
        coalesce(pp.row_section,
                 case when d.person_id is not null then d.section_after else f.section_initial end,
                 r.section) as section,
        pp.period_grade
    from person_periods pp
    asof left join last_of_day d
        on d.person_id = pp.person_id and pp.period_end >= d.date
    left join firsts f on f.person_id = pp.person_id
    left join roster r on r.person_id = pp.person_id
),
final as (
    select
        a.person_id, r.name, a.period, a.period_kind, a.period_end, a.source,
        -- numbers as DOUBLE: fetched through Arrow (assessment.fetch)
        cast(a.de as double) as de, cast(a.neng as double) as neng,
        cast(a.qin as double) as qin, cast(a.ji as double) as ji,
        cast(a.max_de as double) as max_de, cast(a.max_neng as double) as max_neng,
        cast(a.max_qin as double) as max_qin, cast(a.max_ji as double) as max_ji,
        a.grade, l.section, l.period_grade
    from rows_asked a
    join located l on l.person_id = a.person_id and l.period = a.period
    left join roster r on r.person_id = a.person_id
)
