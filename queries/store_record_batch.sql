-- Record a landed batch.
insert into batches (batch_id, loaded_at, files, rows, is_demo, replaced_demo, undone)
values ($batch_id, current_timestamp::timestamp, $files, $rows, $is_demo, $replaced_demo, false)
