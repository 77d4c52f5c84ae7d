-- lrmx_movements: one person's movements in the office, oldest first (the
-- 简历 lines of the 任免审批表 the product writes).
-- params: $person_id
with
final as (
    select date, seq, kind, from_section, to_section, from_position, to_position, from_rank, to_rank
    from movements
    where person_id = $person_id
)
select * from final
order by date, seq
