-- Undo batch $batch_id for movements, step 2: bring back the rows it replaced.
insert into movements by name
select * exclude (replaced_by) from movements_replaced where replaced_by = $batch_id
