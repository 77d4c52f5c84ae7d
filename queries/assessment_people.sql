-- assessment_people: people to look up on the person page, by id or name.
-- Everyone in the roster, plus whether and how often they were assessed.
-- params: $text  part of a person_id or a name ('' = everyone)
with
counts as (
    select person_id, count(distinct period) as periods_assessed
    from assessments
    where de is not null
    group by person_id
),
final as (
    select r.person_id, r.name, r.section, r.position, r.rank, r.status,
           coalesce(c.periods_assessed, 0) as periods_assessed
    from roster r
    left join counts c on c.person_id = r.person_id
    where $text = ''
       or contains(lower(r.person_id), lower($text))
       or contains(r.name, $text)
)
select * from final
order by person_id
