-- appraisal_move_insert: record one move at the end of the session's moves.
-- params: $period, $kind, $subject, $from_value, $to_value, $reason, $user_name,
--         $moved_at, $breaks_quota, $below_floor
insert into appraisal_moves (period, seq, kind, subject, from_value, to_value, reason, user_name,
                             moved_at, breaks_quota, below_floor, undone)
select $period, coalesce(max(seq), 0) + 1, $kind, $subject, $from_value, $to_value, $reason, $user_name,
       $moved_at, $breaks_quota, $below_floor, false
from appraisal_moves
where period = $period
