-- scores_insert: the scored rows registered as staged_scores (one insert;
-- by name: a per-source composite the staged rows lack is null).
insert into scores by name
select * from staged_scores
