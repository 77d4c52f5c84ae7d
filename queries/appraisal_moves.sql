-- appraisal_moves: every move of a session, in order (undone ones marked).
-- params: $period
select seq, kind, subject, from_value, to_value, reason, user_name, moved_at,
       breaks_quota, below_floor, undone
from appraisal_moves
where period = $period
order by seq
