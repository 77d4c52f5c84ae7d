-- intake_save_corrections: remember the staged corrections (same person,
-- column and derived value: the newer one wins).
insert or replace into derived_corrections
select person_id, column_name, derived, value, now()::timestamp as saved_at
from staged_corrections
