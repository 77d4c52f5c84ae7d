-- assessment_rows: the assessment rows of the given periods, each with the
-- person's name and the section the assessment counts for
-- (_assessment_sections).
-- params: $periods  list of stored periods ('1999', '1999Q3', ...)
with
-- @include _timeline_person_state
rows_asked as (
    select a.*
    from assessments a
    where list_contains($periods, a.period)
      and a.de is not null  -- grade-only rows (任免审批表) have no points
),
-- @include _assessment_sections
select * exclude (period_grade) from final
order by period, person_id, source
