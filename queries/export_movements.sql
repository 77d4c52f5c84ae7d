-- export_movements: the stored movements in their order (date, then upload order).
with
final as (
    select * exclude (batch_id) from movements
)
select * from final
order by person_id, date, seq
