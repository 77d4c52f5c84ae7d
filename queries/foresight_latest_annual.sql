-- foresight_latest_annual: the assessment rows (with points) of the latest
-- annual period ending on or before $date, for the projection's composite
-- (cadre.scoring.composites orders candidates for a post by it).
-- params: $date
with
params as (
    select cast($date as date) as d
),
latest as (
    select max(a.period_end) as period_end
    from assessments a
    cross join params p
    where a.period_kind = 'annual' and a.de is not null and a.period_end <= p.d
),
final as (
    select a.person_id, a.period, a.period_kind, a.period_end, a.source,
           a.de, a.neng, a.qin, a.ji, a.max_de, a.max_neng, a.max_qin, a.max_ji, a.grade, a.section
    from assessments a
    join latest l on a.period_end = l.period_end
    where a.period_kind = 'annual' and a.de is not null
)
select * from final
order by person_id, source
