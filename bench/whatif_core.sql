-- bench_whatif_core: the what-if core (composite, competition rank, computed
-- annual grade) of one period in plain DuckDB SQL, for comparison with
-- cadre.scoring.ScoreCube.evaluate. Reads table bench_assessments (one period,
-- shaped like `assessments`); every weight, quota and floor is a bound parameter.
with

rows as (
    select
        person_id,
        source,
        de   / case when max_de   > 0 then max_de   else $max_de   end as r_de,
        neng / case when max_neng > 0 then max_neng else $max_neng end as r_neng,
        qin  / case when max_qin  > 0 then max_qin  else $max_qin  end as r_qin,
        ji   / case when max_ji   > 0 then max_ji   else $max_ji   end as r_ji
    from bench_assessments
),

per_source as (
    select
        person_id,
        100 * ($w_de * r_de + $w_neng * r_neng + $w_qin * r_qin + $w_ji * r_ji) as c_s,
        case source
            when '实绩考核' then $v_perf
            when '民主评议' then $v_peer
            when '主任室考评' then $v_dir
            when '科室自评' then $v_self
            else 1.0
        end as v
    from rows
),

person as (
    -- sources weighted 0 for everything a person has: equal weights (the module's rule)
    select
        person_id,
        case when sum(v) > 0 then sum(v * c_s) / sum(v) else avg(c_s) end as composite
    from per_source
    group by person_id
),

ranked as (
    select
        person_id,
        composite,
        round(composite, 6) as cr,
        rank() over (order by round(composite, 6) desc) as rank,
        row_number() over (order by round(composite, 6) desc, person_id) as pos,
        count(*) over () as n
    from person
),

final as (
    select
        person_id,
        composite,
        rank,
        case
            when pos <= floor($quota * n + 1e-9) and cr >= $top_floor then '优秀'
            when cr < $basic_floor then '不称职'
            when cr < $competent_floor then '基本称职'
            else '称职'
        end as grade
    from ranked
)

select * from final order by person_id
