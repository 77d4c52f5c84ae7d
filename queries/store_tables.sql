-- Every table of the store, by name (backup, restore and the hostile-file tests use them all).
select table_name
from information_schema.tables
where table_schema = 'main' and table_type = 'BASE TABLE'
order by table_name
