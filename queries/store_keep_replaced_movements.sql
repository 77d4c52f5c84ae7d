-- Before a batch lands: keep the stored movements rows it replaces (same person_id, date, kind),
-- or every row when $replace_all (an office's first own upload replaces the demo),
-- so that undo can restore them. Reads the staged rows from the registered view staged_movements.
insert into movements_replaced
select t.*, $batch_id as replaced_by
from movements as t
where $replace_all
   or (person_id, date, kind) in (select (person_id, date, kind) from staged_movements)
