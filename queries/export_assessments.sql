-- export_assessments: the stored assessments, in the order they load back.
with
final as (
    select * exclude (batch_id) from assessments
)
select * from final
order by person_id, period_end, period, source
