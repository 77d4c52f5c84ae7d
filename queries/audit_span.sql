-- The first and the last day the audit log holds (nulls when it is empty),
-- for its date filters' starting values.
select min(at_time)::date as first_day, max(at_time)::date as last_day
from audit
