-- scores_person_bounds: the first person_id of each slice of $size people
-- (by person_id) among those with points in $period: where
-- cadre.assessment.stored cuts a period too large to score at once.
-- params: $period  a stored period
--         $size    people per slice
with people as (
    select distinct person_id from assessments where period = $period and de is not null
),
numbered as (
    select person_id, row_number() over (order by person_id) - 1 as i from people
)
select person_id from numbered
where i % $size = 0
order by person_id
