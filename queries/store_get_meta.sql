-- One meta value.
select value from meta where key = $key
