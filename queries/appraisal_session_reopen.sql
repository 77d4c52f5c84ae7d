-- appraisal_session_reopen: a closed session whose batch was undone opens again
-- (its moves kept), so the meeting can go on and close anew.
-- params: $period
update appraisal_sessions
set status = 'open', closed_at = null, closed_by = null, batch_id = null
where period = $period
