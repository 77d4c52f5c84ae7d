-- whatif_scenario_delete: delete a saved what-if scenario by name.
-- params: $scenario  scenario name
delete from scenarios
where name = $scenario
