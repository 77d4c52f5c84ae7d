-- Every user, for `user list` and the users table (never the password hash).
select name, role, disabled, failed_attempts, locked_until, created_at, password_changed_at, last_login
from users
order by name
