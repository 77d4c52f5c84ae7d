-- scores_source_rows: the stored per-source composites of the given periods.
-- params: $periods  list of stored periods
with
final as (
    select person_id, period, source, composite
    from score_sources
    where list_contains($periods, period)
)
select * from final
order by period, person_id, source
