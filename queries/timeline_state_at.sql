-- timeline_state_at: one row per roster person and date of $dates, their
-- state at that date (as_of; one walk over the movements serves every date,
-- so a series of year ends is one query).
-- section / position / rank at the date (contract: the to_x of the latest
-- movement on or before the date that names one, else the from_x of the
-- earliest later movement that names one, else the roster's; same-date
-- movements in file order), in office or not, age (whole years, birthday
-- passed), years of service, years in rank and in post, and the post flags.
--
-- In office: not on or after a transfer_out (调出) or retire (退休) unless an
-- entry (录用/调入) came later (transferred out and back is in office again);
-- not before a hire or transfer_in that is the person's first movement; a
-- roster status other than 在职 whose last entry/exit movement is not an exit
-- counts from the reference date (latest date in the data) only.
-- rank_since: the latest movement on or before the date that set the rank,
-- else the roster's rank_since when the rank is the roster's; post_since:
-- the latest movement that changed section or position (or an entry), else
-- the roster's post_since when section and position are the roster's.
-- Post flags (is_head, is_deputy, is_middle) are for people in office in a
-- section other than the leadership section; is_leadership: in office in it.
--
-- params: $dates (a list of dates), $ladder (low to high), $heads, $deputies (titles),
--         $middle_posts (heads + deputies), $leadership (section)
--
-- The CTEs roster_base … states (the walk over each person's movements) are
-- shared with timeline_movements.sql: they live once, in _timeline_person_state.sql.
with
-- @include _timeline_person_state
params as (
    select distinct unnest(cast($dates as date[])) as d
),
at_date as (
    select p.d as at_d, s.*
    from states s
    join params p on s.date <= p.d
    qualify row_number() over (partition by p.d, s.person_id order by s.ord desc) = 1
),
firsts as (
    select person_id, kind as first_kind, date as first_date,
           section_initial, position_initial, rank_initial
    from states
    where ord = 1
),
status_moves as (
    select
        s.person_id,
        p.d as at_d,
        arg_max(s.kind, s.ord) filter (where s.date <= p.d) as last_status_kind_at,
        arg_max(s.kind, s.ord) as last_status_kind
    from states s, params p
    where s.is_entry or s.is_exit
    group by s.person_id, p.d
),
reference as (
    select coalesce(
        greatest((select max(date) from movements), (select max(period_end) from assessments)),
        (select max(greatest(rank_since, post_since, join_work_date)) from roster)
    ) as reference_date
),
located as (
    select
        r.person_id, r.name, r.gender, r.birth_date, r.education, r.education_mode,
        r.major, r.political_status, r.join_work_date, r.status, r.reserve,
        r.section as roster_section, r.position as roster_position, r.rank as roster_rank,
        r.rank_since as roster_rank_since, r.post_since as roster_post_since,
        p.d as as_of,
        case when a.person_id is not null then a.section_after
             else coalesce(f.section_initial, r.section) end as section,
        case when a.person_id is not null then a.position_after
             when f.person_id is not null then f.position_initial
             else r.position end as position,
        case when a.person_id is not null then a.rank_after
             else coalesce(f.rank_initial, r.rank) end as rank,
        a.rank_set_date,
        a.post_set_date,
        a.post_set_seq,
        case
            when sm.last_status_kind_at in ('调出', '退休') then false
            when sm.last_status_kind_at is null
                 and f.first_kind in ('录用', '调入') and f.first_date > p.d then false
            when r.status <> '在职'
                 and coalesce(sm.last_status_kind, '') not in ('调出', '退休')
                 and p.d >= coalesce(ref.reference_date, p.d) then false
            else true
        end as in_office
    from roster r
    cross join params p
    cross join reference ref
    left join at_date a on a.person_id = r.person_id and a.at_d = p.d
    left join firsts f on f.person_id = r.person_id
    left join status_moves sm on sm.person_id = r.person_id and sm.at_d = p.d
),
dated as (
    select
        l.*,
        coalesce(
            l.rank_set_date,
            case when l.rank = l.roster_rank and l.roster_rank_since <= l.as_of
                 then l.roster_rank_since end
        ) as rank_since,
        coalesce(
            l.post_set_date,
            case when l.section is not distinct from l.roster_section
                  and l.position is not distinct from l.roster_position
                  and l.roster_post_since <= l.as_of
                 then l.roster_post_since end
        ) as post_since,
        year(l.as_of) - year(l.birth_date)
            - case when month(l.as_of) * 100 + day(l.as_of)
                        < month(l.birth_date) * 100 + day(l.birth_date)
                   then 1 else 0 end as age
    from located l
),
final as (
    select
        person_id, name, gender, birth_date, age, education, education_mode, major,
        political_status, join_work_date, status, reserve,
        as_of, in_office, section, position, rank,
        list_position($ladder, rank) as rank_step,
        rank_since, post_since, post_set_seq as post_seq,
        case when join_work_date <= as_of
             then date_diff('day', join_work_date, as_of) / 365.25 end as service_years,
        case when rank_since <= as_of
             then date_diff('day', rank_since, as_of) / 365.25 end as years_in_rank,
        case when post_since <= as_of
             then date_diff('day', post_since, as_of) / 365.25 end as years_in_post,
        coalesce(in_office and section is distinct from $leadership
                 and list_contains($heads, position), false) as is_head,
        coalesce(in_office and section is distinct from $leadership
                 and list_contains($deputies, position), false) as is_deputy,
        coalesce(in_office and section is distinct from $leadership
                 and list_contains($middle_posts, position), false) as is_middle,
        coalesce(in_office and section = $leadership, false) as is_leadership
    from dated
)
select * from final
order by as_of, person_id
