-- The batch history, newest first.
select batch_id, loaded_at, files, rows, is_demo, replaced_demo, undone
from batches
order by batch_id desc
