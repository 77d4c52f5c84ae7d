-- recent_annual_rows: the assessment rows (with points) of the last $years
-- annual periods ending on or before $date: the latest one for the
-- projection's composite (candidates for a post are ordered by it), three
-- for the talent matrix's performance and the comparison's composite trend
-- (cadre.scoring.composites scores them).
-- params: $date, $years
with
params as (
    select cast($date as date) as d
),
ends as (
    select distinct a.period_end
    from assessments a
    cross join params p
    where a.period_kind = 'annual' and a.de is not null and a.period_end <= p.d
    order by a.period_end desc
    limit $years
),
final as (
    select a.person_id, a.period, a.period_kind, a.period_end, a.source,
           a.de, a.neng, a.qin, a.ji, a.max_de, a.max_neng, a.max_qin, a.max_ji, a.grade, a.section
    from assessments a
    join ends e on a.period_end = e.period_end
    where a.period_kind = 'annual' and a.de is not null
)
select * from final
order by person_id, period, source
