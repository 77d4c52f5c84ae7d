-- structure_service_years: people in office by years of service, in bands
-- (whole years completed; a band holds from its low up to the next band's
-- low); band null for people whose join_work_date is not given.
-- Reads person_state (rows of timeline_state_at, registered by cadre.timeline).
-- params: $band_labels, $band_lows
with
bands as (
    select unnest($band_labels) as band, unnest($band_lows) as low,
           generate_subscripts($band_labels, 1) as band_order
),
banded as (
    select (select b.band from bands b where b.low <= floor(s.service_years)
            order by b.low desc limit 1) as band
    from person_state s
    where s.in_office
),
counts as (
    select band, count(*) as n from banded group by band
),
final as (
    select b.band, b.band_order, coalesce(c.n, 0) as n
    from bands b
    left join counts c on c.band = b.band
    union all
    select null, 1000, n from counts where band is null
)
select * from final
order by band_order
