-- recommend_list: recommendations, newest first, with the person's name and
-- current section and post from the roster (null when the roster lacks them).
-- params: $id (one, or null: all), $status (or null: all)
select r.id, r.section, r.post, r.person_id, p.name, p.section as person_section,
       p.position as person_position, p.rank as person_rank, r.reason, r.recorded_at, r.recorded_by,
       r.status, r.closed_at, r.closed_by
from recommendations r
left join roster p on p.person_id = r.person_id
where ($id is null or r.id = $id)
  and ($status is null or r.status = $status)
order by r.id desc
