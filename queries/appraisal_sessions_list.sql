-- appraisal_sessions_list: every appraisal session, newest period first.
select period, period_kind, status, started_at, closed_at, batch_id from appraisal_sessions
order by period desc
