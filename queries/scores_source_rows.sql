-- scores_source_rows: the rows cadre.assessment.stored scores, as
-- assessment_rows gives them, of the given periods and, within them, of the
-- people from $first (inclusive) to $last (exclusive; null: to the end), so
-- that a province's period is read a slice of people at a time. Unordered
-- (sorting two million rows was half the read): each row carries its
-- person-period's official grade, so the scores do not depend on row order.
-- params: $periods  list of stored periods
--         $first    the first person_id of the slice
--         $last     the person_id after the slice, or null
with
-- @include _timeline_person_state
rows_asked as (
    select a.*
    from assessments a
    where list_contains($periods, a.period)
      and a.person_id >= $first
      and ($last is null or a.person_id < $last)
      and a.de is not null  -- grade-only rows (任免审批表) have no points
),
-- @include _assessment_sections
select * exclude (period_grade) replace (period_grade as grade) from final
