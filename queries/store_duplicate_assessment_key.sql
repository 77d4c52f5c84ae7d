-- store_duplicate_assessment_key: one (person_id, period, source) that the
-- assessments hold more than once, if any. The key has no index since
-- schema 7 (cadre/migrations/007_assessments_unindexed.sql): a restore
-- checks it with this, as the index checked it before.
select person_id, period, source
from assessments
group by person_id, period, source
having count(*) > 1
order by person_id, period, source
limit 1
