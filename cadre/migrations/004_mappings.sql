-- Schema 004: 任免审批表 files and column mappings for foreign spreadsheets.
-- Official annual grades read from 年度考核结果 are assessment rows with only
-- a grade: their points are unknown, not zero.
alter table assessments alter column de drop not null;
alter table assessments alter column neng drop not null;
alter table assessments alter column qin drop not null;
alter table assessments alter column ji drop not null;

-- Photos from 任免审批表 files, per person and batch (the newest live batch's shows).
create table if not exists person_photos (
    person_id varchar not null,
    batch_id integer not null,
    mime varchar not null,
    photo blob not null,
    primary key (person_id, batch_id)
);

-- Corrections a user accepted on the data page's review of derived rows:
-- when the same value is derived again for the same person and column, the
-- correction replaces it.
create table if not exists derived_corrections (
    person_id varchar not null,
    column_name varchar not null,
    derived varchar not null,       -- the derived value as text ('' when none)
    value varchar,                  -- the accepted value as text
    saved_at timestamp not null,
    primary key (person_id, column_name, derived)
);

-- Column mappings of foreign spreadsheets, under the header signature.
create table if not exists column_mappings (
    signature varchar primary key,  -- sha256 of the folded header cells
    dataset varchar not null,
    form varchar not null,
    headers json not null,          -- the header cells as read
    mapping json not null,          -- {header text: canonical column}
    value_maps json not null,       -- {canonical column: {word: canonical word}}
    saved_at timestamp not null
);
