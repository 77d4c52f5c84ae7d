-- pipeline_tenure_unknown: everyone in office at the state's date whose time
-- in rank or in post is unknown: neither the roster (任现职级时间 /
-- 任现岗位时间) nor a movement gives the date the rank or the post began
-- (contract extension, docs/contract.md). They are counted as unknown, never
-- as "not due" or "not eligible".
-- Reads person_state (rows of timeline_state_at, registered by cadre.timeline).
-- params: none
with
final as (
    select
        s.section, s.person_id, s.name, s.position, s.rank,
        s.rank_since is null as rank_unknown,
        s.post_since is null as post_unknown
    from person_state s
    where s.in_office
      and (s.rank_since is null or s.post_since is null)
)
select * from final
order by section, person_id
