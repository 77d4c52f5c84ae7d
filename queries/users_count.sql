-- How many users the store has (0: the first admin is still to be created).
select count(*) as n, count(*) filter (where role = 'admin' and not disabled) as active_admins
from users
