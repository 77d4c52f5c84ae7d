-- structure_age_rank: people in office by age band and rank (the echelons);
-- every band × ladder step present (zeros included), ranks off the ladder
-- after it.
-- Reads person_state (rows of timeline_state_at, registered by cadre.timeline).
-- params: $band_labels, $band_lows, $ladder (ranks low to high)
with
bands as (
    select unnest($band_labels) as band, unnest($band_lows) as low,
           generate_subscripts($band_labels, 1) as band_order
),
banded as (
    select s.rank,
           (select b.band from bands b where b.low <= s.age order by b.low desc limit 1) as band
    from person_state s
    where s.in_office
),
ranks as (
    select unnest($ladder) as rank, generate_subscripts($ladder, 1) as step
    union all
    select distinct rank, 1000 as step
    from banded
    where not list_contains($ladder, rank)
),
counts as (
    select band, rank, count(*) as n from banded group by band, rank
),
final as (
    select b.band, b.band_order, r.rank, r.step, coalesce(c.n, 0) as n
    from bands b
    cross join ranks r
    left join counts c on c.band = b.band and c.rank is not distinct from r.rank
)
select * from final
order by band_order, step, rank
