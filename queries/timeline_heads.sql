-- timeline_heads: the head of each compared section at the state's date.
-- Reads person_state (the rows of timeline_state_at, registered by
-- cadre.timeline). Sections: those other than the leadership section with
-- anyone in office. Head: the person in office whose position there is a head
-- title; several: the one whose latest movement into that post is latest
-- (else the latest post_since; then file order, then person_id); none: vacant
-- (head_id null).
-- params: $leadership (section)
with
sections as (
    select distinct section
    from person_state
    where in_office and section is distinct from $leadership and section is not null
),
candidates as (
    select
        section, person_id, name, gender, birth_date, age, rank, position, post_since,
        row_number() over (
            partition by section
            order by post_since desc nulls last, post_seq desc nulls last, person_id
        ) as pick,
        count(*) over (partition by section) as head_count
    from person_state
    where is_head
),
final as (
    select
        s.section,
        c.person_id as head_id,
        c.name as head_name,
        c.gender as head_gender,
        c.birth_date as head_birth_date,
        c.age as head_age,
        c.rank as head_rank,
        c.position as head_position,
        c.post_since as head_since,
        coalesce(c.head_count, 0) as head_count
    from sections s
    left join candidates c on c.section = s.section and c.pick = 1
)
select * from final
order by section
