-- Schema 005: recommendations (推荐) for posts (issue 22).
-- A leadership decision: person recommended for a post (section + post name),
-- with a reason; revisable while open, kept as the office's record once closed.
create sequence if not exists recommendation_ids start 1;
create table if not exists recommendations (
    id integer primary key default nextval('recommendation_ids'),
    section varchar not null,
    post varchar not null,
    person_id varchar not null,
    reason varchar not null,
    recorded_at timestamp not null,
    recorded_by varchar not null,
    status varchar not null default 'open',   -- 'open' | 'closed'
    closed_at timestamp,
    closed_by varchar
);
