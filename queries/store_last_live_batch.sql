-- The newest batch that is not undone (an upload of exactly its files stores nothing).
select batch_id, files
from batches
where not undone
order by batch_id desc
limit 1
