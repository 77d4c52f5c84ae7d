-- appraisal_people: each person of a session with the grade they started
-- from and the grade they hold now (the target of their latest grade move
-- that is not undone, else the start grade).
-- params: $period
with
people as (
    select person_id, start_grade, origin from appraisal_people where period = $period
),
latest as (
    select subject as person_id, arg_max(to_value, seq) as moved_to, count(*) as moves
    from appraisal_moves
    where period = $period and kind = 'grade' and not undone
    group by subject
),
final as (
    select p.person_id, p.start_grade, p.origin,
           coalesce(l.moved_to, p.start_grade) as grade,
           coalesce(l.moves, 0) as moves
    from people p
    left join latest l using (person_id)
)
select * from final
order by person_id
