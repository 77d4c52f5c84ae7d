-- One audit entry (the log is append-only: no query updates or deletes it).
insert into audit (at_time, user_name, kind, detail)
values ($at_time, $user_name, $kind, $detail)
