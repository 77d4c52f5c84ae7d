-- store_movement_order: the stored movements' person, date and kind, against
-- which an upload's movements are checked for a possible order (nothing
-- before a hire or after an exit), whatever they are uploaded with.
select person_id, date, kind
from movements
where date is not null and kind is not null
