"""``python -m cadre appraisal start|move|commend|show|close|export``: the
appraisal meeting from a shell, for scripts and for offices that prepare
the meeting ahead. Registered by ``cadre.cli`` as one subcommand."""
from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

from cadre import i18n

ACTIONS = ("start", "move", "commend", "show", "close", "export")


def register(sub, common) -> None:
    """Add ``appraisal`` and its actions to the top-level subparsers."""
    p = sub.add_parser("appraisal", parents=[common], help="the year-end appraisal meeting (评定会)")
    actions = p.add_subparsers(dest="action", required=True, parser_class=type(p))
    for action in ACTIONS:
        a = actions.add_parser(action, parents=[common])
        a.add_argument("--period", required=True)
        if action == "move":
            a.add_argument("--person", required=True)
            a.add_argument("--to", required=True, help="the grade, e.g. 优秀")
            a.add_argument("--reason", required=True)
        elif action == "commend":
            who = a.add_mutually_exclusive_group(required=True)
            who.add_argument("--person")
            who.add_argument("--section")
            onoff = a.add_mutually_exclusive_group(required=True)
            onoff.add_argument("--on", dest="on", action="store_true")
            onoff.add_argument("--off", dest="on", action="store_false")
            a.add_argument("--reason", required=True)
        elif action == "close":
            a.add_argument("--notice-from", help="first day of the 公示 (YYYY-MM-DD; default today)")
            a.add_argument("--notice-to", help="last day of the 公示 (default: seven days)")
        elif action == "export":
            a.add_argument("--what", required=True, choices=("notice", "record"))
            a.add_argument("--out", required=True, help="F.xlsx, or F.pdf for the notice")
            a.add_argument("--mask", action="store_true", help="mask names (姓名脱敏)")
    # undo of the last move, for scripts that correct themselves
    u = actions.add_parser("undo", parents=[common])
    u.add_argument("--period", required=True)


def run(args) -> int:
    from cadre import access, audit, cli
    from cadre.appraisal import exports, session

    con, _settings = cli._open_data(args)  # the session services read the settings they need
    period = cli._canonical_period(args.period, args.lang)
    user = access.cli_user()
    lang = args.lang
    try:
        session.periods_needed(con, period)
        if args.action == "start":
            s = session.start(con, period, user)
            payload = {"period": period, "status": s["status"], "started_at": session._iso(s["started_at"]),
                       "started_by": s["started_by"]}
            cli._emit(args, payload, [i18n.t("appraisal.cli.started", lang, period=period)])
        elif args.action == "move":
            m = session.move(con, period, args.person, args.to, args.reason, user)
            line = i18n.t("appraisal.cli.moved", lang, person=m["person_id"], before=i18n.value_label(m["from"], lang),
                          after=i18n.value_label(m["to"], lang))
            if m["breaks_quota"]:
                line += " " + i18n.t("appraisal.breaks_quota", lang)
            cli._emit(args, m, [line])
        elif args.action == "commend":
            kind, subject = ("individual", args.person) if args.person else ("section", args.section)
            m = session.commend(con, period, kind, subject, args.on, args.reason, user)
            cli._emit(args, m, [i18n.t(f"appraisal.cli.tick.{m['to']}", lang, subject=subject)])
        elif args.action == "undo":
            m = session.undo(con, period, user)
            cli._emit(args, {"undone": m}, [i18n.t("appraisal.cli.undone" if m else "appraisal.cli.nothing", lang)])
        elif args.action == "show":
            st = session.state(con, period)
            if st is None:
                raise session.AppraisalError("appraisal.err.no_session", period=period)
            payload = session.show_json(st)
            cli._emit(args, payload, exports.show_lines(st, lang))
        elif args.action == "close":
            start_day, end_day = session.default_notice()
            notice_from = _date(args.notice_from, lang) or start_day
            notice_to = _date(args.notice_to, lang) or (notice_from + (end_day - start_day))
            batch_id = session.close(con, period, user, notice_from, notice_to)
            cli._emit(args, {"period": period, "batch_id": batch_id},
                      [i18n.t("appraisal.cli.closed", lang, period=period, batch=batch_id)])
        elif args.action == "export":
            out = Path(args.out)
            suffix = out.suffix.lower()
            if suffix not in (".xlsx", ".pdf") or (args.what == "record" and suffix == ".pdf"):
                raise cli.UsageError(i18n.t("appraisal.cli.export_suffix", lang))
            st = session.state(con, period)
            if st is None:
                raise session.AppraisalError("appraisal.err.no_session", period=period)
            data = exports.export_bytes(con, st, args.what, suffix[1:], lang=lang, mask=args.mask)
            out.parent.mkdir(parents=True, exist_ok=True)
            out.write_bytes(data)
            audit.record(con, user, "export", {"file": out.name, "period": period, "what": args.what,
                                               "masked": bool(args.mask)})   # names leave the store
            cli._emit(args, {"out": str(out)}, [str(out)])
    except session.AppraisalError as exc:
        message = exc.message(lang)
        if args.json:
            cli._emit(args, {"errors": [{"message": message, "key": exc.key}]}, [])
        else:
            print(message, file=sys.stderr)
        if exc.key == "appraisal.err.no_period":
            return cli.EXIT_USAGE
        return cli.EXIT_REJECTED
    return cli.EXIT_OK


def _date(text: str | None, lang: str) -> dt.date | None:
    from cadre import cli
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise cli.UsageError(i18n.t("cli.bad_date", lang, date=text)) from None
