-- whatif_scenario_save: save a what-if scenario under a name (a scenario of
-- the same name is replaced).
-- params: $scenario  scenario name; $saved_at  timestamp; $spec  JSON text
insert or replace into scenarios (name, saved_at, spec)
values ($scenario, $saved_at, $spec::json)
