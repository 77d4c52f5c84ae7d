-- Schema 005: scores kept in the store (issue 17, item 1).
-- The composite, office rank, section rank and computed grade of every
-- person and period with points, as cadre.scoring.scored computes them under
-- the settings whose hash is meta 'scores_key' (cadre.assessment.stored:
-- the keys are listed there and in docs/contract.md, "Stored scores").
-- Rewritten whole in the transaction of every upload, undo and appraisal
-- close, and when a setting that shapes them is saved. The official grade
-- and the name are not kept here: they are read from assessments and roster.
create table if not exists scores (
    person_id varchar not null,
    period varchar not null,
    period_kind varchar not null,
    period_end date,
    section varchar,                -- the assessment's section (assessment_rows)
    composite double,
    de_pct double, neng_pct double, qin_pct double, ji_pct double,
    n_sources bigint not null,
    source_fallback boolean not null,
    rank bigint,                     -- competition rank within the period
    section_rank bigint,             -- within the period and section
    computed_grade varchar
);

-- The composite of each source a person has in a period.
create table if not exists score_sources (
    person_id varchar not null,
    period varchar not null,
    source varchar not null,
    composite double
);
