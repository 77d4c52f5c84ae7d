-- Remove the stored assessments rows that batch $batch_id keeps in assessments_replaced.
delete from assessments
where $replace_all
   or (person_id, period, source) in (select (person_id, period, source) from staged_assessments)
