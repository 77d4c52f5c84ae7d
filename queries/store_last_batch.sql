-- The last batch that can be undone (batches up to meta 'undo_floor' are beyond the undo depth).
select batch_id, is_demo, replaced_demo
from batches
where not undone
  and batch_id > coalesce((select cast(value as integer) from meta where key = 'undo_floor'), 0)
order by batch_id desc
limit 1
