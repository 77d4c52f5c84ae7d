-- whatif_scenario_list: the saved what-if scenarios, newest first.
-- params: none
with
final as (
    select name, saved_at, spec::varchar as spec
    from scenarios
)
select * from final
order by saved_at desc, name
