-- Undo batch $batch_id for assessments, step 1: drop the rows it added.
delete from assessments where batch_id = $batch_id
