-- Keep undo for the newest $depth live batches only: meta 'undo_floor' rises
-- to the newest live batch beyond them; batches up to it cannot be undone.
insert or replace into meta
select 'undo_floor', cast(greatest(
    coalesce((select cast(value as integer) from meta where key = 'undo_floor'), 0),
    coalesce((select batch_id from batches where not undone
              order by batch_id desc limit 1 offset $depth), 0)) as varchar)
