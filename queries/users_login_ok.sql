-- A successful sign-in: wrong attempts forgotten, last login kept; the hash
-- is replaced when it was made with older parameters.
update users
set failed_attempts = 0, locked_until = null, last_login = $now,
    password_hash = coalesce($rehash, password_hash)
where name = $user_name
