-- scores_insert_sources: the per-source composites registered as staged_score_sources.
insert into score_sources
select person_id, period, source, composite from staged_score_sources
