-- recommend_revise: change an open recommendation's post, person or reason
-- (a closed one is the office's record and is never changed).
-- params: $id, $section, $post, $person_id, $reason
update recommendations
set section = $section, post = $post, person_id = $person_id, reason = $reason
where id = $id and status = 'open'
