-- mapping_list: every saved column mapping, newest first.
with
final as (
    select signature, dataset, form, headers, mapping, value_maps, saved_at
    from column_mappings
)
select * from final
order by saved_at desc
