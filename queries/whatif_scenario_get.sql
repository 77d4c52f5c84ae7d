-- whatif_scenario_get: one saved what-if scenario by name (no row if none).
-- params: $scenario  scenario name
with
final as (
    select name, saved_at, spec::varchar as spec
    from scenarios
    where name = $scenario
)
select * from final
