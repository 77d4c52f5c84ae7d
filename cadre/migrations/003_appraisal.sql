-- Schema version 3: the year-end appraisal meeting (评定会).
-- A session per period: the grades it started from, every move (grade moves
-- and commendation ticks, undone ones kept and marked), and, once closed,
-- the batch that wrote its grades as the period's official grades.
create table if not exists appraisal_sessions (
    period varchar primary key,
    period_kind varchar not null,
    status varchar not null,            -- 'open' | 'closed'
    started_at timestamp not null,
    started_by varchar not null,
    closed_at timestamp,
    closed_by varchar,
    batch_id integer,                   -- the batch the close wrote (official grades)
    notice_from date,                   -- the 公示 period
    notice_to date
);

-- Who the session grades and the grade each started from.
create table if not exists appraisal_people (
    period varchar not null,
    person_id varchar not null,
    start_grade varchar,
    origin varchar not null,            -- 'official' | 'computed'
    primary key (period, person_id)
);

-- Every move of the meeting, in order. kind: 'grade' (subject a person_id,
-- from/to grades), 'individual' or 'section' (a commendation tick: subject a
-- person_id or a section, from/to 'on' | 'off' | null).
create table if not exists appraisal_moves (
    period varchar not null,
    seq integer not null,
    kind varchar not null,
    subject varchar not null,
    from_value varchar,
    to_value varchar not null,
    reason varchar not null,
    user_name varchar not null,
    moved_at timestamp not null,
    breaks_quota boolean not null default false,
    below_floor boolean not null default false,
    undone boolean not null default false,
    primary key (period, seq)
);

-- Commendations (先进个人 / 先进科室) as the close recorded them; they stand
-- while their batch is not undone.
create table if not exists commendations (
    period varchar not null,
    kind varchar not null,              -- 'individual' | 'section'
    subject varchar not null,           -- person_id or section
    name varchar,                       -- the person's name (individuals)
    section varchar,
    place integer,                      -- order in the proposal
    batch_id integer not null,
    primary key (period, kind, subject, batch_id)
);
