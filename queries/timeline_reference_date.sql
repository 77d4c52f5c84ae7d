-- timeline_reference_date: the reference date of a page or command given no
-- date, and the first date of the data.
-- reference_date: the latest date in the data, movement dates and assessment
-- period ends (never the clock); only when both are empty, the latest roster
-- date. first_date: the earliest movement date or period end (null if none).
with
movement_dates as (
    select min(date) as earliest, max(date) as latest from movements
),
period_ends as (
    select min(period_end) as earliest, max(period_end) as latest from assessments
),
roster_dates as (
    select max(greatest(rank_since, post_since, join_work_date)) as latest from roster
),
final as (
    select
        coalesce(greatest(m.latest, p.latest), r.latest) as reference_date,
        least(m.earliest, p.earliest) as first_date
    from movement_dates m, period_ends p, roster_dates r
)
select * from final
