-- The batch history, newest first; undoable: within the undo depth (above meta 'undo_floor').
select batch_id, loaded_at, files, rows, is_demo, replaced_demo, undone,
       batch_id > coalesce((select cast(value as integer) from meta where key = 'undo_floor'), 0) as undoable
from batches
order by batch_id desc
