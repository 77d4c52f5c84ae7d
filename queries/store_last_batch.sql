-- The last batch that can be undone.
select batch_id, is_demo, replaced_demo
from batches
where not undone
order by batch_id desc
limit 1
