-- scores_insert: the scored rows registered as staged_scores (one insert).
insert into scores
select person_id, period, period_kind, cast(period_end as date), section, composite,
       de_pct, neng_pct, qin_pct, ji_pct, n_sources, source_fallback,
       rank, section_rank, computed_grade
from staged_scores
