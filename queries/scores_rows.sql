-- scores_rows: the stored scores of the given periods, in the shape of
-- cadre.assessment.scorer.score_periods: the name from the roster, and how
-- many were ranked with each person in the office and in the section
-- (counted by a grouping joined back: two window partitions over a
-- province's rows took twice as long as the rest of the query).
-- params: $periods  list of stored periods
with
picked as (
    select * from scores where list_contains($periods, period)
),
per_period as (
    select period, count(composite) as n_office from picked group by period
),
per_section as (
    select period, section, count(composite) as n_section from picked group by period, section
),
final as (
    select
        s.person_id, r.name, s.* exclude (person_id),
        p.n_office, c.n_section
    from picked s
    left join roster r on r.person_id = s.person_id
    join per_period p on p.period = s.period
    join per_section c on c.period = s.period and c.section is not distinct from s.section
)
select * from final
order by person_id, period
