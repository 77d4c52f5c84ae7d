-- intake_sections: the section names the office's data knows (roster and
-- movements), to place the posts of 任免审批表 files.
with
names as (
    select section as name from roster
    union select to_section from movements
    union select from_section from movements
),
final as (
    select distinct name from names where name is not null and name <> ''
)
select * from final
order by name
