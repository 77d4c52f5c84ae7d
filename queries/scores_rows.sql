-- scores_rows: the stored scores of the given periods, in the shape of
-- cadre.assessment.scorer.score_periods: the name from the roster, and how
-- many were ranked with each person in the office and in the section.
-- params: $periods  list of stored periods
with
final as (
    select
        s.person_id, r.name, s.* exclude (person_id),
        count(s.composite) over (partition by s.period) as n_office,
        count(s.composite) over (partition by s.period, s.section) as n_section
    from scores s
    left join roster r on r.person_id = s.person_id
    where list_contains($periods, s.period)
)
select * from final
order by person_id, period
