-- structure_age_gender: the age pyramid, people in office by age band and
-- gender; every band × gender present (zeros included), bands in order.
-- Reads person_state (rows of timeline_state_at, registered by cadre.timeline).
-- params: $band_labels, $band_lows (a band holds ages from its low up to the
--         next band's low), $genders (the genders always listed)
with
bands as (
    select unnest($band_labels) as band, unnest($band_lows) as low,
           generate_subscripts($band_labels, 1) as band_order
),
banded as (
    select s.gender,
           (select b.band from bands b where b.low <= s.age order by b.low desc limit 1) as band
    from person_state s
    where s.in_office
),
genders as (
    select unnest($genders) as gender, generate_subscripts($genders, 1) as gender_order
    union all
    select distinct gender, 1000 from banded where not list_contains($genders, gender)
),
counts as (
    select band, gender, count(*) as n from banded group by band, gender
),
final as (
    select b.band, b.band_order, g.gender, g.gender_order, coalesce(c.n, 0) as n
    from bands b
    cross join genders g
    left join counts c on c.band = b.band and c.gender = g.gender
)
select * from final
order by band_order, gender_order, gender
