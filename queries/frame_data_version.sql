-- Changes whenever a batch lands or is undone: part of every cache key.
select coalesce(max(batch_id), 0) as last_batch, count(*) filter (where undone) as undone
from batches
