-- appraisal_ticks: the meeting's commendation ticks: per subject, the target of
-- its latest tick that is not undone ('on' or 'off') and that tick's reason.
-- params: $period
select kind, subject, arg_max(to_value, seq) as tick, arg_max(reason, seq) as reason
from appraisal_moves
where period = $period and kind in ('individual', 'section') and not undone
group by kind, subject
order by kind, subject
