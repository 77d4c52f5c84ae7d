-- lrmx_person: one person's roster row, every field a 任免审批表 prints.
-- params: $person_id
with
final as (
    select person_id, name, gender, birth_date, education, education_mode, political_status,
           join_work_date, section, position, rank, rank_since, post_since, status
    from roster
    where person_id = $person_id
)
select * from final
