-- Rows replaced by batches that can no longer be undone are not kept.
delete from roster_replaced
where replaced_by <= coalesce((select cast(value as integer) from meta where key = 'undo_floor'), 0)
