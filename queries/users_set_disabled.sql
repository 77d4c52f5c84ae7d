-- Disable or enable a user (a disabled user cannot sign in; open sessions end at their next step).
update users
set disabled = $disabled, failed_attempts = 0, locked_until = null
where name = $user_name
