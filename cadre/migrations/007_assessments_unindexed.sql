-- Schema 007: assessments without the primary key index (issue 17, ingest memory).
-- DuckDB keeps a primary key as an in-memory index (ART): 173 MB for a city's
-- 2 million rows, about 500 MB for a province's 6 million, held through an
-- upload's transaction and costing a third of its landing time. No query looks
-- rows up by the key; the key stays unique because an upload is refused with
-- its duplicate rows named (data contract, "Duplicate rows") and landing
-- replaces the stored rows of each staged (person_id, period, source) before
-- it inserts them (store_delete_replaced_assessments); the test
-- tests/cadre/store/test_assessments_key.py checks both after every kind of
-- landing. The table is rebuilt with the same columns, in the same order.
create table assessments_unindexed (
    person_id varchar not null,
    period varchar not null,        -- '1999' or '1999Q3'
    period_kind varchar not null,   -- 'annual' | 'quarterly'
    period_end date not null,
    source varchar not null,        -- one of the four sources or 综合
    de double,                      -- null: a grade-only row (任免审批表, schema 004)
    neng double,
    qin double,
    ji double,
    max_de double,                  -- null: the settings' maximum holds
    max_neng double,
    max_qin double,
    max_ji double,
    grade varchar,                  -- official grade, if given
    section varchar,                -- section column of the row, if given
    batch_id integer
);
insert into assessments_unindexed select * from assessments;
drop table assessments;
alter table assessments_unindexed rename to assessments;
