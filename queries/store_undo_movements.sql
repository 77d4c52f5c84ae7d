-- Undo batch $batch_id for movements, step 1: drop the rows it added.
delete from movements where batch_id = $batch_id
