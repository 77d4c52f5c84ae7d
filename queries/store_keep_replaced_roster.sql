-- Before a batch lands: keep the stored roster rows it replaces (same person_id),
-- or every row when $replace_all (an office's first own upload replaces the demo),
-- so that undo can restore them. Reads the staged rows from the registered view staged_roster.
insert into roster_replaced
select t.*, $batch_id as replaced_by
from roster as t
where $replace_all
   or (person_id) in (select (person_id) from staged_roster)
