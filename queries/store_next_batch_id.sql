-- The id the next batch gets.
select coalesce(max(batch_id), 0) + 1 as batch_id from batches
