-- The stored data's latest date (movement dates and period ends): uploads are
-- judged against it, so a roster uploaded alone gets the same age checks.
select greatest(
    (select max(date) from movements),
    (select max(period_end) from assessments)) as latest
