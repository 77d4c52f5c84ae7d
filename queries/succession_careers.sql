-- succession_careers: per person of $person_ids, up to $date: rotations done
-- (轮岗 movements), sections served (the distinct sections the movements and
-- the roster name for them), commendations (先进个人 on record whose batch
-- stands), and the official annual grades of the last $years annual periods
-- (a list of {period, grade}, newest first).
-- params: $person_ids, $date, $years
with
params as (
    select cast($date as date) as d
),
who as (
    select unnest($person_ids) as person_id
),
moves as (
    select m.person_id, m.kind, m.to_section, m.from_section
    from movements m
    join who w on w.person_id = m.person_id
    cross join params p
    where m.date <= p.d
),
served as (
    select person_id, to_section as section from moves where to_section is not null
    union
    select person_id, from_section from moves where from_section is not null
    union
    select r.person_id, r.section from roster r join who w on w.person_id = r.person_id
),
commended as (
    select c.subject as person_id, count(*) as commendations
    from commendations c
    join batches b on b.batch_id = c.batch_id and not b.undone
    join who w on w.person_id = c.subject
    cross join params p
    where c.kind = 'individual'
      and try_cast(left(c.period, 4) as integer) <= year(p.d)
    group by c.subject
),
ends as (
    select distinct a.period_end
    from assessments a
    cross join params p
    where a.period_kind = 'annual' and a.period_end <= p.d
    order by a.period_end desc
    limit $years
),
graded as (
    select a.person_id, a.period, max(a.grade) as grade
    from assessments a
    join who w on w.person_id = a.person_id
    join ends e on e.period_end = a.period_end
    where a.period_kind = 'annual' and a.grade is not null
    group by a.person_id, a.period
),
final as (
    select
        w.person_id,
        (select count(*) from moves m where m.person_id = w.person_id and m.kind = '轮岗') as rotations_done,
        (select count(*) from served s where s.person_id = w.person_id and s.section is not null) as sections_served,
        coalesce(c.commendations, 0) as commendations,
        (select list({'period': g.period, 'grade': g.grade} order by g.period desc)
         from graded g where g.person_id = w.person_id) as grades
    from who w
    left join commended c on c.person_id = w.person_id
)
select * from final
order by person_id
