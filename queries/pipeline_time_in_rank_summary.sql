-- pipeline_time_in_rank_summary: per promotion step (from_rank → to_rank),
-- how many, how many with a known time in rank, and its distribution in
-- years: mean, median and quartiles (linear interpolation), min, max.
-- Reads promotions (rows of pipeline_time_in_rank, registered by cadre.timeline).
with
final as (
    select
        from_rank, to_rank, min(to_step) as to_step,
        count(*) as promotions,
        count(years) as known,
        avg(years) as mean_years,
        quantile_cont(years, 0.5) as median_years,
        quantile_cont(years, 0.25) as q1_years,
        quantile_cont(years, 0.75) as q3_years,
        min(years) as min_years,
        max(years) as max_years
    from promotions
    group by from_rank, to_rank
)
select * from final
order by to_step, from_rank
