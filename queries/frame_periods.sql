-- The assessment periods in the store, newest first (annual before its quarters).
with
-- @include _assessment_periods
final as (
    select period, period_kind, period_end, assessed from periods
)
select * from final
order by period_end desc, period_kind = 'annual' desc, period desc
