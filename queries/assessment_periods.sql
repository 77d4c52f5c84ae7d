-- assessment_periods: every assessment period in the store, oldest first,
-- with its kind, end date, how many were assessed and whether any official
-- grade was given.
with
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
final as (
    select * from periods
)
select * from final
order by period_end, period_kind = 'annual', period
