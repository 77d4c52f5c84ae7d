-- appraisal_commendations_insert: the commendations a close records, from the
-- registered frame staged_commendations.
-- params: $period, $batch_id
insert into commendations (period, kind, subject, name, section, place, batch_id)
select $period, kind, subject, name, section, place, $batch_id from staged_commendations
