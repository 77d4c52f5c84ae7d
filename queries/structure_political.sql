-- structure_political: people in office by political status; every listed
-- status present (zeros included), others (and not given, null) after them.
-- Reads person_state (rows of timeline_state_at, registered by cadre.timeline).
-- params: $statuses
with
listed as (
    select unnest($statuses) as political_status
),
counts as (
    select political_status, count(*) as n from person_state where in_office group by political_status
),
final as (
    select political_status, coalesce(list_position($statuses, political_status), 1000)::bigint as status_order,
           coalesce(n, 0) as n
    from listed full join counts using (political_status)
)
select * from final
order by status_order, political_status
