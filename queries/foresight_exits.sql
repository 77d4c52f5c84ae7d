-- foresight_exits: other exits than retirement (movements of kind 调出) in
-- the $years years up to $date; the projection's default exit rate is this
-- count over ($years × the headcount at the date).
-- params: $date, $years
with
params as (
    select cast($date as date) as d, cast($years as integer) as y
),
final as (
    select count(*) as exits
    from movements m
    cross join params p
    where m.kind = '调出' and m.date <= p.d and m.date > p.d - to_years(p.y)
)
select * from final
