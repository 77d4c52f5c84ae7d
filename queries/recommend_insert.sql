-- recommend_insert: record an open recommendation; returns its id.
-- params: $section, $post, $person_id, $reason, $recorded_at, $user_name
insert into recommendations (section, post, person_id, reason, recorded_at, recorded_by, status)
values ($section, $post, $person_id, $reason, $recorded_at, $user_name, 'open')
returning id
