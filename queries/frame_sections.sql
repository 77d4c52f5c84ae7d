-- The sections pages compare: every section named in the data except the leadership one.
with named as (
    select section from roster
    union select to_section from movements
    union select from_section from movements
    union select section from assessments
),
final as (
    select distinct section from named
    where section is not null and section <> '' and section <> $leadership_section
)
select * from final order by section
