-- appraisal_commendations: the commendations on record for a period (those
-- whose batch is not undone).
-- params: $period
select c.kind, c.subject, c.name, c.section, c.place, c.batch_id
from commendations c
join batches b on b.batch_id = c.batch_id and not b.undone
where c.period = $period
order by c.kind, c.place, c.subject
