-- appraisal_period_rows: the stored assessment rows of a period as an upload
-- would stage them (no batch id), for the close to land with new grades.
-- params: $period
select * exclude (batch_id) from assessments where period = $period
