-- Land the staged roster rows of batch $batch_id.
insert into roster by name
select *, $batch_id as batch_id from staged_roster
