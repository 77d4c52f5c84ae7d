-- scores_clear_sources: forget the stored per-source composites.
delete from score_sources
