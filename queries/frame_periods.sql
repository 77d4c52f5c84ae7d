-- The assessment periods in the store, newest first (annual before its quarters).
with periods as (
    select period, any_value(period_kind) as period_kind, any_value(period_end) as period_end,
           count(distinct person_id) as assessed
    from assessments
    group by period
),
final as (
    select * from periods
)
select * from final
order by period_end desc, period_kind = 'annual' desc, period desc
