-- Undo batch $batch_id for assessments, step 2: bring back the rows it replaced.
insert into assessments by name
select * exclude (replaced_by) from assessments_replaced where replaced_by = $batch_id
