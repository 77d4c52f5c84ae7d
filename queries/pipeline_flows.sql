-- pipeline_flows: the flows of a span for a Sankey, grouped: promotions
-- (rank → rank), rotations between sections (section → section), hires and
-- transfers in (null, the outside → section), transfers out (section →
-- destination, null when not given) and retirements (section → null).
-- Reads movement_states (rows of timeline_movements for the span, registered
-- by cadre.timeline).
with
flows as (
    select 'promotion' as flow, rank_from as source, to_rank as target
    from movement_states where is_promotion
    union all
    select 'rotation', section_before, section_after
    from movement_states
    where kind = '轮岗' and section_before is distinct from section_after
    union all
    select case kind when '录用' then 'hire' else 'transfer_in' end, null, section_after
    from movement_states where kind in ('录用', '调入')
    union all
    select 'transfer_out', section_before, destination
    from movement_states where kind = '调出'
    union all
    select 'retire', section_before, null
    from movement_states where kind = '退休'
),
final as (
    select flow, source, target, count(*) as value
    from flows
    group by flow, source, target
)
select * from final
order by flow, value desc, source, target
