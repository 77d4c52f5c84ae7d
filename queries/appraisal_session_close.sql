-- appraisal_session_close: mark a session closed by the batch it wrote.
-- params: $period, $closed_at, $user_name, $batch_id, $notice_from, $notice_to
update appraisal_sessions
set status = 'closed', closed_at = $closed_at, closed_by = $user_name, batch_id = $batch_id,
    notice_from = $notice_from, notice_to = $notice_to
where period = $period
