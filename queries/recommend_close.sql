-- recommend_close: close an open recommendation (it becomes the office's record).
-- params: $id, $closed_at, $user_name
update recommendations
set status = 'closed', closed_at = $closed_at, closed_by = $user_name
where id = $id and status = 'open'
