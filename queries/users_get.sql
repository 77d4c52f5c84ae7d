-- One user by name, with the fields sign-in needs.
select name, role, password_hash, disabled, failed_attempts, locked_until, last_login
from users
where name = $user_name
