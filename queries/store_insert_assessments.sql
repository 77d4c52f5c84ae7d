-- Land the staged assessments rows (each with the batch_id of its batch; read
-- from a relation, not a registered view: see store.execute_reading).
insert into assessments by name
select * from staged_assessments
