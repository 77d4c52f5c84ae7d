-- The users named in the audit log, for its filter.
select distinct user_name
from audit
order by user_name
