-- pipeline_exchange: section-to-section exchange over a span, the number of
-- movements (other than entries and exits) that took a person from one
-- section to another (section before → section after, from ≠ to).
-- Reads movement_states (rows of timeline_movements for the span, registered
-- by cadre.timeline).
with
moves as (
    select section_before as from_section, section_after as to_section
    from movement_states
    where not is_entry and not is_exit
      and section_before is not null and section_after is not null
      and section_before <> section_after
),
final as (
    select from_section, to_section, count(*) as n
    from moves
    group by from_section, to_section
)
select * from final
order by from_section, to_section
