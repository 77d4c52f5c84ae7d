-- structure_by_age: people in office by age band and one attribute, $by:
-- 'gender' (the age pyramid) or 'rank' (the echelons); every band × listed
-- value present (zeros included), bands in order, values in the order of
-- $values and values not listed after them.
-- Reads person_state (rows of timeline_state_at, registered by cadre.timeline).
-- params: $band_labels, $band_lows (a band holds ages from its low up to the
--         next band's low), $by ('gender' or 'rank'), $values (the genders,
--         or the rank ladder low to high, always listed)
with
bands as (
    select unnest($band_labels) as band, unnest($band_lows) as low,
           generate_subscripts($band_labels, 1) as band_order
),
banded as (
    select case when $by = 'gender' then s.gender else s.rank end as value,
           (select b.band from bands b where b.low <= s.age order by b.low desc limit 1) as band
    from person_state s
    where s.in_office
),
listed as (
    select unnest($values) as value, generate_subscripts($values, 1) as value_order
    union all
    select distinct value, 1000 as value_order
    from banded
    where not list_contains($values, value)
),
counts as (
    select band, value, count(*) as n from banded group by band, value
),
final as (
    select b.band, b.band_order, l.value, l.value_order, coalesce(c.n, 0) as n
    from bands b
    cross join listed l
    left join counts c on c.band = b.band and c.value is not distinct from l.value
)
select * from final
order by band_order, value_order, value
