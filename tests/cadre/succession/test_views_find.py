"""The succession page's search over the roster (cadre.succession.views.find_people)."""
from __future__ import annotations

from cadre.succession import views

ROSTER = {"YZ0001": "张伟", "YZ0002": "王芳", "YZ0003": "张*", "AB0104": "李娜", "YZ0105": ""}


def test_finds_by_name_or_number_in_roster_order():
    assert views.find_people(ROSTER, "张") == (["YZ0001", "YZ0003"], 2)
    assert views.find_people(ROSTER, " yz01 ") == (["YZ0105"], 1)
    assert views.find_people(ROSTER, "0104") == (["AB0104"], 1)


def test_an_empty_query_finds_no_one_and_a_limit_says_how_many_matched():
    assert views.find_people(ROSTER, "  ") == ([], 0)
    assert views.find_people({}, "张") == ([], 0)
    assert views.find_people(ROSTER, "YZ", limit=2) == (["YZ0001", "YZ0002"], 4)


def test_a_query_is_text_not_a_pattern():
    assert views.find_people(ROSTER, "*") == (["YZ0003"], 1)
    assert views.find_people(ROSTER, ".*") == ([], 0)


def test_a_city_roster_is_searched_and_cut_at_the_limit():
    roster = {f"P{i:05d}": f"姓名{i}" for i in range(10_000)}
    found, total = views.find_people(roster, "姓名99")
    assert total == 111 and len(found) == views.FOUND_MAX and found[0] == "P00099"
