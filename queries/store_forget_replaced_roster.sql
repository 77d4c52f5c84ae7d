-- Undo batch $batch_id for roster, step 3: the restored rows are live again.
delete from roster_replaced where replaced_by = $batch_id
