-- Schema version 2: the users who may sign in, and the audit log.
-- Passwords are stored only as argon2id hashes (never the password).
create table if not exists users (
    name varchar primary key,
    role varchar not null check (role in ('admin', 'leader', 'viewer')),
    password_hash varchar not null,
    disabled boolean not null default false,
    failed_attempts integer not null default 0,   -- wrong passwords since the last success or lock
    locked_until timestamp,                       -- null: not locked
    created_at timestamp not null,
    password_changed_at timestamp not null,
    last_login timestamp
);

-- Append-only: the product inserts and reads, never updates or deletes.
create sequence if not exists audit_id_seq;
create table if not exists audit (
    id bigint primary key default nextval('audit_id_seq'),
    at_time timestamp not null,     -- the server's local time
    user_name varchar not null,     -- who (a user, "local" in the demo, "cli:<os user>" from a shell)
    kind varchar not null,          -- what happened (cadre.audit.KINDS)
    detail json not null            -- the particulars (files and sha256, changed settings, ...)
);
