-- Schema 006: scores kept in the store (issue 17, item 1).
-- One row per person and period with points: cadre.scoring.scored of the
-- rows under the settings whose hash is meta 'scores_key' (the keys are
-- listed in cadre/assessment/stored.py and docs/contract.md, "Stored
-- scores"). Rewritten whole in the transaction of every upload, undo and
-- re-landing of assessment rows (the appraisal meeting's close), and when a
-- setting that shapes them is saved. The name is read from the roster.
create table if not exists scores (
    person_id varchar not null,
    period varchar not null,
    period_kind varchar not null,
    period_end date,
    section varchar,                -- the assessment's section (assessment_rows)
    grade varchar,                  -- the official grade, as scoring.composites takes it
    composite double,
    -- the composite of each source (null where the person has none); the
    -- sources an upload accepts (cadre.settings.SOURCES and 综合)
    "composite_实绩考核" double,
    "composite_民主评议" double,
    "composite_主任室考评" double,
    "composite_科室自评" double,
    "composite_综合" double,
    de_pct double, neng_pct double, qin_pct double, ji_pct double,
    n_sources bigint not null,
    source_fallback boolean not null,
    rank bigint,                    -- competition rank within the period
    section_rank bigint,            -- within the period and section
    computed_grade varchar
);
