-- scores_source_rows: the rows cadre.assessment.stored scores, as
-- assessment_rows gives them, of the given periods and, within them, of the
-- people from $first (inclusive) to $last (exclusive; null: to the end), so
-- that a province's period is read a slice of people at a time.
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
select * from final
order by period, person_id, source
