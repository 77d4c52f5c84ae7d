-- mapping_save: save (or replace) the column mapping of a header signature.
-- params: $signature $dataset $form $headers $mapping $value_maps
insert or replace into column_mappings
values ($signature, $dataset, $form, $headers, $mapping, $value_maps, now()::timestamp)
