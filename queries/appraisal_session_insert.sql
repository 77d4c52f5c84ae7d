-- appraisal_session_insert: open a new session for a period.
-- params: $period, $period_kind, $started_at, $user_name
insert into appraisal_sessions (period, period_kind, status, started_at, started_by)
values ($period, $period_kind, 'open', $started_at, $user_name)
