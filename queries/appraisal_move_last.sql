-- appraisal_move_last: the session's last move that is not undone.
-- params: $period
select seq, kind, subject, from_value, to_value, reason
from appraisal_moves
where period = $period and not undone
order by seq desc
limit 1
