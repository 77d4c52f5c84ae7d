-- assessment_periods: every assessment period in the store, oldest first,
-- with its kind, end date, how many were assessed and whether any official
-- grade was given.
with
-- @include _assessment_periods
final as (
    select * from periods
)
select * from final
order by period_end, period_kind = 'annual', period
