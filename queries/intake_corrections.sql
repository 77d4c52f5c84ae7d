-- intake_corrections: every correction accepted on the review of derived rows.
with
final as (
    select person_id, column_name, derived, value from derived_corrections
)
select * from final
