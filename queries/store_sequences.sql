-- Every column of the store whose default draws from a sequence, with that
-- sequence (restore moves each sequence past the values it loaded).
select c.table_name, c.column_name, s.sequence_name
from duckdb_columns() c
join duckdb_sequences() s
  on s.schema_name = c.schema_name and c.column_default = 'nextval(''' || s.sequence_name || ''')'
where c.schema_name = 'main'
order by c.table_name, c.column_name
