-- intake_insert_photos: the staged photos of batch $batch_id.
insert or replace into person_photos
select person_id, $batch_id as batch_id, mime, photo from staged_photos
