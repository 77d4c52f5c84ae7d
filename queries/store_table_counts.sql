-- Row counts of the three datasets: what a rejected upload must leave unchanged.
select
    (select count(*) from roster) as roster,
    (select count(*) from assessments) as assessments,
    (select count(*) from movements) as movements
