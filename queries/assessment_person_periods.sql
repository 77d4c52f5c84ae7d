-- assessment_person_periods: the periods one person was assessed in, oldest
-- first (the periods a profile scores whole, for ranks in office and section).
-- params: $person_id
with
final as (
    select period, any_value(period_end) as period_end
    from assessments
    where person_id = $person_id and de is not null
    group by period
)
select * from final
order by period_end, period
