-- Audit entries, newest first, filtered by user, kinds and a date range
-- (each filter off when its parameter is null).
select id, at_time, user_name, kind, detail
from audit
where ($user_name::varchar is null or user_name = $user_name)
  and ($kinds::varchar[] is null or list_contains($kinds::varchar[], kind))
  and ($start::date is null or at_time >= $start::date)
  and ($end::date is null or at_time < $end::date + interval 1 day)
order by id desc
limit $limit
