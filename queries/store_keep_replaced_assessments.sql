-- Before a batch lands: keep the stored assessments rows it replaces (same person_id, period, source),
-- or every row when $replace_all (an office's first own upload replaces the demo),
-- so that undo can restore them. Reads the staged rows from the registered view staged_assessments.
insert into assessments_replaced
select t.*, $batch_id as replaced_by
from assessments as t
where $replace_all
   or (person_id, period, source) in (select (person_id, period, source) from staged_assessments)
