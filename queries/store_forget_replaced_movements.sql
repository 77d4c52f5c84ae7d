-- Undo batch $batch_id for movements, step 3: the restored rows are live again.
delete from movements_replaced where replaced_by = $batch_id
