-- Change a user's role.
update users
set role = $role
where name = $user_name
