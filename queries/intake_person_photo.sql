-- intake_person_photo: a person's photo from the newest batch not undone.
-- params: $person_id
with
live as (
    select p.mime, p.photo, p.batch_id
    from person_photos p
    join batches b on b.batch_id = p.batch_id and not b.undone
    where p.person_id = $person_id
),
final as (
    select mime, photo from live order by batch_id desc limit 1
)
select * from final
