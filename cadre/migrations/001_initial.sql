-- Schema version 1: the three datasets, settings, batches and undo history.
-- Canonical values are the contract's Chinese values; dates are DATE.
create table if not exists meta (key varchar primary key, value varchar);

create table if not exists settings (key varchar primary key, value json not null);

create table if not exists batches (
    batch_id integer primary key,
    loaded_at timestamp not null,
    files json not null,        -- [{"name":..., "sha256":...}]
    rows json not null,         -- {"roster": n, "assessments": n, "movements": n}
    is_demo boolean not null default false,
    replaced_demo boolean not null default false,  -- an office's first own upload
    undone boolean not null default false
);

create table if not exists roster (
    person_id varchar primary key,
    name varchar not null,
    gender varchar not null,
    birth_date date not null,
    education varchar not null,
    education_mode varchar,
    major varchar,
    political_status varchar,
    join_work_date date,
    section varchar not null,
    position varchar,
    rank varchar not null,
    rank_since date,
    post_since date,
    status varchar not null default '在职',
    reserve boolean,
    batch_id integer
);

create table if not exists assessments (
    person_id varchar not null,
    period varchar not null,        -- '1999' or '1999Q3'
    period_kind varchar not null,   -- 'annual' | 'quarterly'
    period_end date not null,
    source varchar not null,        -- one of the four sources or 综合
    de double not null,
    neng double not null,
    qin double not null,
    ji double not null,
    max_de double,                  -- null: the settings' maximum holds
    max_neng double,
    max_qin double,
    max_ji double,
    grade varchar,                  -- official grade, if given
    section varchar,                -- section column of the row, if given
    batch_id integer,
    primary key (person_id, period, source)
);

create table if not exists movements (
    person_id varchar not null,
    date date not null,
    seq bigint not null,            -- upload order (batch, file, row): same-date order
    kind varchar not null,
    from_section varchar,
    to_section varchar,
    from_position varchar,
    to_position varchar,
    from_rank varchar,
    to_rank varchar,
    destination varchar,
    note varchar,
    batch_id integer,
    primary key (person_id, date, kind)
);

-- Rows an upload replaced or added, so that the last batch can be undone.
create table if not exists roster_replaced as select * from roster where false;
alter table roster_replaced add column replaced_by integer;
create table if not exists assessments_replaced as select * from assessments where false;
alter table assessments_replaced add column replaced_by integer;
create table if not exists movements_replaced as select * from movements where false;
alter table movements_replaced add column replaced_by integer;

-- Saved what-if scenarios.
create table if not exists scenarios (
    name varchar primary key,
    saved_at timestamp not null,
    spec json not null
);
