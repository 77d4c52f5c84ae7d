-- _assessment_periods: one row per assessment period with points, its kind,
-- end date, how many were assessed and whether any official grade was given
-- (not a query on its own: a CTE block pulled in after `with` by a
-- `-- @include _assessment_periods` line, see cadre.store.sql_text; it ends
-- with a comma, so the including query goes on with its own CTEs).
periods as (
    select
        period,
        any_value(period_kind) as period_kind,
        any_value(period_end) as period_end,
        count(distinct person_id) as assessed,
        count(grade) > 0 as has_official
    from assessments
    where de is not null  -- grade-only rows (任免审批表) have no points to show
    group by period
),
