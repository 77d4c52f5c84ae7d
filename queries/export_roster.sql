-- export_roster: the stored roster.
with
final as (
    select * exclude (batch_id) from roster
)
select * from final
order by person_id
