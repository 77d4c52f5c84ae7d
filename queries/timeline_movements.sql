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
-- The CTEs roster_base … states (the walk over each person's movements) are
-- shared with timeline_state_at.sql: they live once, in _timeline_person_state.sql.
with
-- @include _timeline_person_state
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
