-- appraisal_session_get: the appraisal session of a period, with whether the
-- batch its close wrote still stands.
-- params: $period
with
s as (
    select * from appraisal_sessions where period = $period
),
final as (
    select s.*, coalesce(b.undone, false) as batch_undone
    from s
    left join batches b on b.batch_id = s.batch_id
)
select * from final
