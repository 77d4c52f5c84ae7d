-- timeline_movements: every movement with the person's state just before and
-- just after it (section, position, rank, rank/post since), and what it means:
-- promotion (to_rank above from_rank on the ladder, whatever the kind), new
-- middle-level cadre, entry, exit.
--
-- State follows the contract's "section of a person at a date": the to_x of
-- the latest movement up to this one that names one, else the from_x of the
-- earliest later movement that names one, else the roster's value; same-date
-- movements in file order (seq). A removal (免职) that names no new post
-- leaves the person without one.
-- A movement sets the rank when the rank after differs from the rank before
-- (an entry: when its to_rank differs from its own from_rank); it sets the
-- post when the section or the position changes, and always on entry.
-- A promotion whose from_rank is empty is judged against the rank before it
-- (except for entries, which have no rank here before them).
--
-- params: $start, $end   dates, inclusive, null = unbounded: which movements
--                        are returned (the walk always uses the whole history)
--         $ladder        ranks low to high
--         $middle_posts  head and deputy titles
--         $leadership    the leadership section
--
-- The CTEs roster_base … states are shared with timeline_state_at.sql:
-- keep the two in step.
with
roster_base as (
    select person_id, name, section, position, rank, rank_since, post_since
    from roster
),
ordered as (
    select
        m.*,
        row_number() over (partition by m.person_id order by m.date, m.seq, m.kind) as ord,
        m.kind in ('录用', '调入') as is_entry,
        m.kind in ('调出', '退休') as is_exit,
        -- '' marks "names no post" (a removal) so that it survives ignore nulls
        coalesce(m.to_position, case when m.kind = '免职' then '' end) as to_position_named
    from movements m
),
walked as (
    select
        o.*,
        last_value(o.to_section ignore nulls) over upto as section_to,
        first_value(o.from_section ignore nulls) over later as section_from_later,
        first_value(o.from_section ignore nulls) over whole as section_from_first,
        last_value(o.to_position_named ignore nulls) over upto as position_to,
        first_value(o.from_position ignore nulls) over later as position_from_later,
        first_value(o.from_position ignore nulls) over whole as position_from_first,
        last_value(o.to_rank ignore nulls) over upto as rank_to,
        first_value(o.from_rank ignore nulls) over later as rank_from_later,
        first_value(o.from_rank ignore nulls) over whole as rank_from_first
    from ordered o
    window
        upto as (partition by o.person_id order by o.ord
                 rows between unbounded preceding and current row),
        later as (partition by o.person_id order by o.ord
                  rows between 1 following and unbounded following),
        whole as (partition by o.person_id order by o.ord
                  rows between unbounded preceding and unbounded following)
),
after_state as (
    select
        w.*,
        coalesce(w.section_to, w.section_from_later, r.section) as section_after,
        nullif(coalesce(w.position_to, w.position_from_later, r.position), '') as position_after,
        coalesce(w.rank_to, w.rank_from_later, r.rank) as rank_after,
        coalesce(w.section_from_first, r.section) as section_initial,
        coalesce(w.position_from_first, r.position) as position_initial,
        coalesce(w.rank_from_first, r.rank) as rank_initial
    from walked w
    left join roster_base r on r.person_id = w.person_id
),
before_state as (
    select
        a.*,
        case when a.ord = 1 then a.section_initial
             else lag(a.section_after) over per_person end as section_before,
        case when a.ord = 1 then a.position_initial
             else lag(a.position_after) over per_person end as position_before,
        case when a.ord = 1 then a.rank_initial
             else lag(a.rank_after) over per_person end as rank_before
    from after_state a
    window per_person as (partition by a.person_id order by a.ord)
),
changes as (
    select
        b.*,
        case when b.is_entry
             then b.to_rank is not null and b.to_rank is distinct from b.from_rank
             else b.rank_after is distinct from b.rank_before
        end as sets_rank,
        b.is_entry
            or b.section_after is distinct from b.section_before
            or b.position_after is distinct from b.position_before as sets_post
    from before_state b
),
states as (
    select
        c.*,
        last_value(case when c.sets_rank then c.date end ignore nulls) over upto as rank_set_date,
        last_value(case when c.sets_post then c.date end ignore nulls) over upto as post_set_date,
        last_value(case when c.sets_post then c.seq end ignore nulls) over upto as post_set_seq
    from changes c
    window upto as (partition by c.person_id order by c.ord
                    rows between unbounded preceding and current row)
),
-- end of the CTEs shared with timeline_state_at.sql
classified as (
    select
        s.*,
        r.name,
        coalesce(s.from_rank, case when not s.is_entry then s.rank_before end) as rank_from,
        coalesce(
            s.rank_set_date,
            case when s.rank_after = r.rank and r.rank_since <= s.date then r.rank_since end
        ) as rank_since_after,
        coalesce(
            lag(s.rank_set_date) over per_person,
            case when s.rank_before = r.rank and r.rank_since <= s.date then r.rank_since end
        ) as rank_since_before,
        coalesce(
            s.post_set_date,
            case when s.section_after is not distinct from r.section
                  and s.position_after is not distinct from r.position
                  and r.post_since <= s.date then r.post_since end
        ) as post_since_after,
        not s.is_entry
            and list_contains($middle_posts, s.position_before)
            and s.section_before is distinct from $leadership as middle_before,
        not s.is_exit
            and list_contains($middle_posts, s.position_after)
            and s.section_after is distinct from $leadership as middle_after
    from states s
    left join roster_base r on r.person_id = s.person_id
    window per_person as (partition by s.person_id order by s.ord)
),
final as (
    select
        person_id, name, date, seq, ord, kind,
        from_section, to_section, from_position, to_position, from_rank, to_rank,
        destination, note,
        is_entry, is_exit,
        section_before, section_after,
        position_before, position_after,
        rank_before, rank_after, rank_from,
        sets_rank, sets_post,
        rank_since_before, rank_since_after,
        post_since_after, post_set_seq,
        coalesce(
            list_position($ladder, to_rank) > list_position($ladder, rank_from), false
        ) as is_promotion,
        coalesce(middle_before, false) as middle_before,
        coalesce(middle_after, false) as middle_after,
        coalesce(middle_after and not middle_before, false) as is_new_middle
    from classified
)
select *
from final
where ($start is null or date >= cast($start as date))
  and ($end is null or date <= cast($end as date))
order by date, seq, person_id
