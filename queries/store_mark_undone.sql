-- Mark a batch undone (kept in the history).
update batches set undone = true where batch_id = $batch_id
