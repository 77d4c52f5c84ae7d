-- Land the staged movements rows of batch $batch_id.
insert into movements by name
select *, $batch_id as batch_id from staged_movements
