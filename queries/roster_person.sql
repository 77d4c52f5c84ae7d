-- roster_person: one person's roster row, every field the person page and a
-- 任免审批表 read.
-- params: $person_id
with
final as (
    select person_id, name, gender, birth_date, education, education_mode, political_status,
           join_work_date, section, position, rank, rank_since, post_since, status, reserve
    from roster
    where person_id = $person_id
)
select * from final
