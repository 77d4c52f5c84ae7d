-- A new user with a hashed password.
insert into users (name, role, password_hash, disabled, failed_attempts, locked_until,
                   created_at, password_changed_at, last_login)
values ($user_name, $role, $password_hash, false, 0, null, $now, $now, null)
