-- scores_section_trend: the mean composite and how many had one, per
-- compared section and period and for all compared sections together
-- (office = true), over the stored scores of the given periods: the
-- sections page's trend, aggregated where the rows are instead of read
-- whole (a province's eight quarters are millions of rows).
-- params: $periods  list of stored periods
--         $leader   the leadership's section (not compared)
select
    section,
    period,
    any_value(period_end) as period_end,
    avg(composite) as mean,
    count(composite) as n,
    grouping(section) = 1 as office
from scores
where list_contains($periods, period) and section is not null and section <> $leader
group by grouping sets ((section, period), (period))
