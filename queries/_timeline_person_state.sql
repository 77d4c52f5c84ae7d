-- _timeline_person_state: the walk over each person's movements shared by
-- timeline_state_at and timeline_movements (not a query on its own: a block
-- of CTEs pulled in after `with` by a `-- @include _timeline_person_state`
-- line, see cadre.store.sql_text; it ends with a comma, so the including
-- query goes on with its own CTEs).
--
-- Reads roster and movements. Defines, in order:
--   roster_base   the roster's section, position, rank and their dates
--   ordered       movements numbered per person (ord: date, file order, kind),
--                 is_entry (录用/调入), is_exit (调出/退休), to_position_named
--                 ('' for a removal 免职 that names no new post)
--   walked        the to_x of the latest movement up to each one that names
--                 one, the from_x of the earliest later / first one
--   after_state   section / position / rank after each movement (else the
--                 roster's) and the person's initial ones
--   before_state  the state just before each movement
--   changes       sets_rank, sets_post
--   states        rank_set_date, post_set_date, post_set_seq up to each movement
--
-- params: none (the including query binds its own).
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
