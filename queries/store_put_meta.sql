-- Set one meta value.
insert or replace into meta values ($key, $value)
