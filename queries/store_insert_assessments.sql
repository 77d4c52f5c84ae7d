-- Land the staged assessments rows of batch $batch_id.
insert into assessments by name
select *, $batch_id as batch_id from staged_assessments
