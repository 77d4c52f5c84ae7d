-- Remove the stored movements rows that batch $batch_id keeps in movements_replaced.
delete from movements
where $replace_all
   or (person_id, date, kind) in (select (person_id, date, kind) from staged_movements)
