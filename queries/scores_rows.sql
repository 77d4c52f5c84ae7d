-- scores_rows: the stored scores of the given periods, in the shape of
-- cadre.assessment.scorer.score_periods (without the per-source composites,
-- see scores_source_rows): name from the roster, the official grade (the
-- first given among the person's rows with points, by source, as
-- scoring.composites takes it), and how many were ranked with each person.
-- params: $periods  list of stored periods
with
official as (
    select person_id, period, arg_min(grade, source) as grade
    from assessments
    where list_contains($periods, period) and de is not null and grade is not null
    group by person_id, period
),
final as (
    select
        s.person_id, r.name, s.period, s.period_kind, s.period_end, s.section, o.grade,
        s.composite, s.de_pct, s.neng_pct, s.qin_pct, s.ji_pct, s.n_sources, s.source_fallback,
        s.rank, s.section_rank, s.computed_grade,
        count(s.composite) over (partition by s.period) as n_office,
        count(s.composite) over (partition by s.period, s.section) as n_section
    from scores s
    left join roster r on r.person_id = s.person_id
    left join official o on o.person_id = s.person_id and o.period = s.period
    where list_contains($periods, s.period)
)
select * from final
order by person_id, period
