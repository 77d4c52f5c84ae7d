-- lrmx_grades: one person's official annual grades (年度考核结果), oldest
-- first; a grade is the same wherever a period gives it.
-- params: $person_id
with
final as (
    select period, max(grade) as grade
    from assessments
    where person_id = $person_id and period_kind = 'annual' and grade is not null
    group by period
)
select * from final
order by period
