"""``bash scripts/cadre succession`` and ``recommend add|revise|close|list|export``:
the succession board and the office's recommendations from a shell
(docs/contract.md, "Command line: succession"). Registered by ``cadre.cli``
(``register``), which also lists what each needs of its caller and its runner.
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd

from cadre import i18n
from cadre.cli_common import EXIT_OK, EXIT_REJECTED, UsageError, emit, open_data, parse_date, refuse

SUFFIXES = {"list": (".xlsx", ".pdf"), "form": (".lrmx", ".pdf", ".zip")}


def register(command, common, h) -> None:
    """Add ``succession`` and ``recommend`` through ``command`` (a subcommand
    maker); ``h`` gives a help text in the user's language."""
    p = command("succession")
    p.add_argument("--date", help=h("structure.date"))

    p = command("recommend")
    actions = p.add_subparsers(dest="recommend_action", required=True, parser_class=type(p), metavar="ACTION")

    def action(name):
        return actions.add_parser(name, parents=[common], help=h(f"recommend.{name}"),
                                  description=h(f"recommend.{name}"))
    a = action("add")
    a.add_argument("--post", required=True, help=h("recommend.post"))
    a.add_argument("--person", required=True, help=h("recommend.person"))
    a.add_argument("--reason", required=True, help=h("recommend.reason"))
    a = action("revise")
    a.add_argument("id", type=int, help=h("recommend.id"))
    a.add_argument("--post", help=h("recommend.post"))
    a.add_argument("--person", help=h("recommend.person"))
    a.add_argument("--reason", help=h("recommend.reason"))
    a = action("close")
    a.add_argument("id", type=int, help=h("recommend.id"))
    action("list")
    a = action("export")
    a.add_argument("--what", required=True, choices=tuple(SUFFIXES), help=h("recommend.what"))
    a.add_argument("--out", required=True, help=h("recommend.out"))
    a.add_argument("--id", type=int, action="append", help=h("recommend.ids"))
    a.add_argument("--mask", action="store_true", help=h("mask"))


def _iso(value):
    return None if value is None or pd.isna(value) else pd.Timestamp(value).date().isoformat()


def _num(value, digits: int = 1):
    return None if value is None or pd.isna(value) else round(float(value), digits)


def board_json(b, settings: dict) -> dict:
    """``succession --json``: the date and the posts, each with its holders,
    years to retirement, gap year and successors (readiness, source, the
    blocking rules, the rule that clears last and the day it clears)."""
    from cadre.succession import board
    succ = b.successors
    groups = {k: g for k, g in succ.groupby(["section", "post"], sort=False)}
    posts = []
    for p in b.posts.itertuples(index=False):  # one row per post (a few dozen), not per person
        g = groups.get((p.section, p.post), succ.iloc[:0])
        posts.append({
            "section": p.section, "post": p.post, "label": board.post_label(p.section, p.post, settings),
            "kind": p.kind, "vacant": bool(p.vacant),
            "holders": [{"person_id": i, "name": n} for i, n in zip(p.holder_ids, p.holders)],
            "years_to_retirement": _num(p.years_to_retirement), "gap_year": p.gap_year,
            "no_ready_successor": bool(p.no_ready_successor),
            "successors": [{
                "person_id": s.person_id, "name": s.name, "section": s.person_section, "rank": s.person_rank,
                "readiness": s.readiness, "source": [k for k, on in (("reserve", s.reserve), ("picked", s.picked)) if on],
                "recommendations": list(s.recommendations), "blocking": list(s.blocking),
                "blocking_rule": s.blocking_rule, "clears_on": _iso(s.clears_on)} for s in g.itertuples(index=False)],
        })
    return {"date": b.date.isoformat(), "posts": posts}


def _board_lines(payload: dict, lang: str) -> list[str]:
    t = lambda k, **kw: i18n.t(k, lang, **kw)  # noqa: E731
    lines = [t("succession.cli.board_head", date=i18n.format_date(dt.date.fromisoformat(payload["date"]), lang),
               posts=len(payload["posts"]), flagged=sum(p["no_ready_successor"] for p in payload["posts"]))]
    for p in payload["posts"]:
        holders = i18n.join([h["name"] for h in p["holders"]], lang) or t("succession.vacant")
        years = "—" if p["years_to_retirement"] is None else p["years_to_retirement"]
        gap = t("succession.no_gap") if p["gap_year"] is None else p["gap_year"]
        flag = f"  ! {t('succession.no_ready')}" if p["no_ready_successor"] else ""
        lines.append(t("succession.cli.post_line", post=p["label"], holders=holders, years=years, gap=gap) + flag)
        for s in p["successors"]:
            source = t("succession.source." + ("both" if len(s["source"]) == 2 else s["source"][0]))
            block = "" if not s["blocking_rule"] else "；" + _rule_text(s["blocking_rule"], lang) + (
                f" → {s['clears_on']}" if s["clears_on"] else "")
            lines.append("    " + t("succession.cli.successor_line", name=s["name"], person=s["person_id"],
                                    readiness=t(f"succession.readiness.{s['readiness']}"), source=source,
                                    blocking=block))
    return lines


def _rule_text(rule: str, lang: str) -> str:
    cat = i18n.catalogue(lang)
    return cat.get(f"succession.rule.{rule}") or cat.get(f"pipeline.rule.{rule}") or rule


def cmd_succession(args) -> int:
    from cadre import timeline
    from cadre.succession import board
    date = parse_date(args.date, args.lang)
    con, settings = open_data(args)
    b = board.build(con, settings, date or timeline.reference_date(con))
    payload = board_json(b, settings)
    emit(args, payload, _board_lines(payload, args.lang))
    return EXIT_OK


def _record_json(rec: dict) -> dict:
    return {"id": int(rec["id"]), "section": rec["section"], "post": rec["post"], "person_id": rec["person_id"],
            "name": rec.get("name"), "reason": rec["reason"], "status": rec["status"],
            "recorded_at": None if pd.isna(rec["recorded_at"]) else pd.Timestamp(rec["recorded_at"]).isoformat(sep=" "),
            "recorded_by": rec["recorded_by"],
            "closed_at": None if pd.isna(rec["closed_at"]) else pd.Timestamp(rec["closed_at"]).isoformat(sep=" "),
            "closed_by": None if pd.isna(rec["closed_by"]) else rec["closed_by"]}


def cmd_recommend(args) -> int:
    from cadre import access
    from cadre.succession import recommend
    con, settings = open_data(args)
    user, lang = access.cli_user(), args.lang
    try:
        if args.recommend_action == "add":
            section, post = recommend.parse_post(args.post)
            rec_id = recommend.add(con, settings, section, post, args.person, args.reason, user)
            emit(args, _record_json(recommend.get(con, rec_id)), [i18n.t("succession.cli.added", lang, id=rec_id)])
        elif args.recommend_action == "revise":
            section, post = recommend.parse_post(args.post) if args.post else (None, None)
            changed = recommend.revise(con, settings, args.id, user, section=section, post=post, person_id=args.person,
                                       reason=args.reason)
            emit(args, {**_record_json(recommend.get(con, args.id)), "changed": changed},
                      [i18n.t("succession.cli.revised", lang, id=args.id)])
        elif args.recommend_action == "close":
            rec = recommend.close(con, args.id, user)
            emit(args, _record_json(rec), [i18n.t("succession.cli.closed", lang, id=args.id)])
        elif args.recommend_action == "list":
            rows = recommend.listing(con)
            records = [_record_json(r) for r in rows.to_dict("records")]
            emit(args, {"recommendations": records},
                      [f"{r['id']} {r['section']}/{r['post']} {r['person_id']} {r['name'] or ''} "
                       f"{i18n.t('succession.status.' + r['status'], lang)}" for r in records])
        else:
            out = Path(args.out)
            suffix = out.suffix.lower()
            if suffix not in SUFFIXES[args.what]:
                raise UsageError(i18n.t("succession.err.bad_out", lang, file=args.out,
                                            formats=i18n.join(SUFFIXES[args.what], lang)))
            data, _name = recommend.export(con, settings, user, args.what, suffix[1:], args.id, lang, bool(args.mask))
            out.parent.mkdir(parents=True, exist_ok=True)
            out.write_bytes(data)
            emit(args, {"out": str(out)}, [i18n.t("succession.cli.written", lang, file=str(out))])
    except recommend.RecommendError as exc:
        refuse(args, exc, lang)
        return EXIT_REJECTED
    return EXIT_OK
