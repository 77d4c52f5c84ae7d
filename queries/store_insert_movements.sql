-- Land the staged movements rows (each with the batch_id of its batch; read
-- from a relation, not a registered view: see store.execute_reading).
insert into movements by name
select * from staged_movements
