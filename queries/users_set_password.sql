-- A new password: also clears wrong attempts and any lock.
update users
set password_hash = $password_hash, password_changed_at = $now, failed_attempts = 0, locked_until = null
where name = $user_name
