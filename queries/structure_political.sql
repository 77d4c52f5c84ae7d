-- structure_political: people in office by political status; every listed
-- status present (zeros included), others (and not given, null) after them.
-- Reads person_state (rows of timeline_state_at, registered by cadre.timeline).
-- params: $statuses
with
in_office as (
    select political_status from person_state where in_office
),
statuses as (
    select unnest($statuses) as political_status, generate_subscripts($statuses, 1) as status_order
    union all
    select distinct political_status, 1000 from in_office
    where political_status is null or not list_contains($statuses, political_status)
),
counts as (
    select political_status, count(*) as n from in_office group by political_status
),
final as (
    select s.political_status, s.status_order, coalesce(c.n, 0) as n
    from statuses s
    left join counts c on c.political_status is not distinct from s.political_status
)
select * from final
order by status_order, political_status
