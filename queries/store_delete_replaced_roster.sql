-- Remove the stored roster rows that batch $batch_id keeps in roster_replaced.
delete from roster
where $replace_all
   or (person_id) in (select (person_id) from staged_roster)
