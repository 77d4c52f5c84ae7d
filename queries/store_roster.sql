-- The stored roster, as validation checks an upload against it.
select * exclude (batch_id) from roster
