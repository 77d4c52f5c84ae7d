-- appraisal_people_insert: the people a new session grades and their start
-- grades, from the registered frame staged_appraisal_people.
-- params: $period
insert into appraisal_people (period, person_id, start_grade, origin)
select $period, person_id, start_grade, origin from staged_appraisal_people
