-- Undo batch $batch_id for roster, step 2: bring back the rows it replaced.
insert into roster by name
select * exclude (replaced_by) from roster_replaced where replaced_by = $batch_id
