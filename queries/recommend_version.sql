-- recommend_version: a digest of every recommendation's post, person and
-- status: it changes whenever the succession board's picks do (a page's
-- cached board is keyed on it beside the data version).
-- params: none
with
final as (
    select md5(coalesce(string_agg(id || '|' || section || '|' || post || '|' || person_id || '|' || status,
                                   ',' order by id), '')) as version
    from recommendations
)
select * from final
