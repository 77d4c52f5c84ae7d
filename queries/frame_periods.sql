-- The assessment periods in the store, newest first (annual before its quarters).
with periods as (
    select period, any_value(period_kind) as period_kind, any_value(period_end) as period_end,
           count(distinct person_id) as assessed
    from assessments
    where de is not null  -- grade-only rows (任免审批表) have no points to show
    group by period
),
final as (
    select * from periods
)
select * from final
order by period_end desc, period_kind = 'annual' desc, period desc
