-- Undo batch $batch_id for roster, step 1: drop the rows it added.
delete from roster where batch_id = $batch_id
