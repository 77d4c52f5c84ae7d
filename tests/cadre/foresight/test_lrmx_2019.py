"""A 任免审批表 batch with modern 职级 loads under the 2019 preset with every
person's rank on the ladder (a post apart from the 职级 beside it)."""
from __future__ import annotations

import json

from cadre import settings as settings_mod
from cadre import store
from cadre.foresight import rules as R
from cadre.ingest import lrmx as X
from cadre.ingest.derive import derive
from tests.cadre.ingest import lrmx_samples as L
from tests.cadre.ingest.test_lrmx import cadre, write

PEOPLE = [
    ("sun.lrmx", {"XingMing": "孙立", "XingBie": "男", "ChuShengNianYue": "198403", "CanJiaGongZuoShiJian": "200607",
                  "QuanRiZhiJiaoYu_XueLi": "大学本科", "XianRenZhiWu": "某县政府办公室综合科科长、四级主任科员",
                  "JianLi": "2006.07--2019.05  某县政府办公室综合科科员\n"
                            "2019.06--  某县政府办公室综合科科长、四级主任科员",
                  "ShenFenZheng": "410102198403011111"}),
    ("zhou.lrmx", {"XingMing": "周敏", "XingBie": "女", "ChuShengNianYue": "199508", "CanJiaGongZuoShiJian": "201807",
                   "QuanRiZhiJiaoYu_XueLi": "研究生", "XianRenZhiWu": "某县政府办公室秘书科一级科员",
                   "JianLi": "2018.07--2019.06  某县政府办公室秘书科二级科员\n"
                             "2019.07--  某县政府办公室秘书科一级科员",
                   "ShenFenZheng": "410102199508012222"}),
]


def _files():
    return [(name, L._xml(tags)) for name, tags in PEOPLE]


def test_modern_ranks_are_on_the_2019_ladder():
    people, _tables, _problems = X.read_people(_files())
    derived = derive(people, settings={**settings_mod.defaults(), **R.preset("rank-2019")})
    r = derived.roster.set_index("name")
    assert r.loc["孙立", "position"] == "科长" and r.loc["孙立", "rank"] == "四级主任科员"
    assert r.loc["周敏", "rank"] == "一级科员"
    assert set(r["rank"]) <= set(R.LADDER_2019)


def test_batch_loads_under_the_preset(tmp_path):
    db = tmp_path / "c.duckdb"
    con = store.connect(db)
    R.use(con, "rank-2019")
    con.close()
    paths = write(tmp_path, _files())
    proc = cadre("ingest", *paths, "--office", L.OFFICE, "--accept-derived", "--json", db=db, check=0)
    assert json.loads(proc.stdout)
    con = store.connect(db)
    try:
        roster = store.query(con, "store_roster")
    finally:
        con.close()
    assert len(roster) == 2 and roster["rank"].isin(R.LADDER_2019).all()
