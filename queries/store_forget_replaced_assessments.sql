-- Undo batch $batch_id for assessments, step 3: the restored rows are live again.
delete from assessments_replaced where replaced_by = $batch_id
