-- A wrong password: count it; the attempt that reaches the limit locks the
-- account until $locked_until and starts the count afresh.
update users
set failed_attempts = case when failed_attempts + 1 >= $limit then 0 else failed_attempts + 1 end,
    locked_until = case when failed_attempts + 1 >= $limit then $locked_until else locked_until end
where name = $user_name
returning failed_attempts, locked_until
