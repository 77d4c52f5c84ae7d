-- mapping_get: the saved column mapping of one header signature.
-- params: $signature
with
final as (
    select signature, dataset, form, headers, mapping, value_maps, saved_at
    from column_mappings
    where signature = $signature
)
select * from final
