"""``bash scripts/cadre appraisal start|move|commend|show|close|export``:
the appraisal meeting from a shell, for scripts and for offices that
prepare the meeting ahead. Registered by ``cadre.cli`` as one subcommand;
its shared helpers come from ``cadre.cli_common``."""
from __future__ import annotations

from pathlib import Path

from cadre import i18n
from cadre.cli_common import (EXIT_OK, EXIT_REJECTED, EXIT_USAGE, UsageError, canonical_period, emit, open_data,
                              parse_date, refuse)

ACTIONS = ("start", "move", "commend", "show", "close", "export")


def register(command, common, h) -> None:
    """Add ``appraisal`` and its actions through ``command`` (a subcommand
    maker); ``h`` gives a help text in the user's language."""
    p = command("appraisal")
    actions = p.add_subparsers(dest="action", required=True, parser_class=type(p), metavar="ACTION")
    # undo of the last move, for scripts that correct themselves
    for action in ACTIONS + ("undo",):
        a = actions.add_parser(action, parents=[common], help=h(f"appraisal.{action}"),
                               description=h(f"appraisal.{action}"))
        a.add_argument("--period", required=True, help=h("period"))
        if action == "move":
            a.add_argument("--person", required=True, help=h("appraisal.person"))
            a.add_argument("--to", required=True, help=h("appraisal.to"))
            a.add_argument("--reason", required=True, help=h("appraisal.reason"))
        elif action == "commend":
            who = a.add_mutually_exclusive_group(required=True)
            who.add_argument("--person", help=h("appraisal.person"))
            who.add_argument("--section", help=h("appraisal.section"))
            onoff = a.add_mutually_exclusive_group(required=True)
            onoff.add_argument("--on", dest="on", action="store_true", help=h("appraisal.on"))
            onoff.add_argument("--off", dest="on", action="store_false", help=h("appraisal.off"))
            a.add_argument("--reason", required=True, help=h("appraisal.reason"))
        elif action == "close":
            a.add_argument("--notice-from", help=h("appraisal.notice_from"))
            a.add_argument("--notice-to", help=h("appraisal.notice_to"))
        elif action == "export":
            a.add_argument("--what", required=True, choices=("notice", "record"), help=h("appraisal.what"))
            a.add_argument("--out", required=True, help=h("appraisal.out"))
            a.add_argument("--mask", action="store_true", help=h("mask"))


def run(args) -> int:
    from cadre import access, audit
    from cadre.appraisal import exports, session

    con, settings = open_data(args)
    period = canonical_period(args.period, args.lang)
    user = access.cli_user()
    lang = args.lang
    try:
        session.periods_needed(con, period)
        if args.action == "start":
            s = session.start(con, settings, period, user)
            payload = {"period": period, "status": s["status"], "started_at": session._iso(s["started_at"]),
                       "started_by": s["started_by"]}
            emit(args, payload, [i18n.t("appraisal.cli.started", lang, period=period)])
        elif args.action == "move":
            m = session.move(con, settings, period, args.person, args.to, args.reason, user)
            line = i18n.t("appraisal.cli.moved", lang, person=m["person_id"], before=i18n.value_label(m["from"], lang),
                          after=i18n.value_label(m["to"], lang))
            if m["breaks_quota"]:
                line += " " + i18n.t("appraisal.breaks_quota", lang)
            emit(args, m, [line])
        elif args.action == "commend":
            kind, subject = ("individual", args.person) if args.person else ("section", args.section)
            m = session.commend(con, settings, period, kind, subject, args.on, args.reason, user)
            emit(args, m, [i18n.t(f"appraisal.cli.tick.{m['to']}", lang, subject=subject)])
        elif args.action == "undo":
            m = session.undo(con, period, user)
            emit(args, {"undone": m}, [i18n.t("appraisal.cli.undone" if m else "appraisal.cli.nothing", lang)])
        elif args.action == "show":
            st = session.state(con, settings, period)
            if st is None:
                raise session.AppraisalError("appraisal.err.no_session", period=period)
            payload = session.show_json(st)
            emit(args, payload, exports.show_lines(st, lang))
        elif args.action == "close":
            start_day, end_day = session.default_notice()
            notice_from = parse_date(args.notice_from, lang) or start_day
            notice_to = parse_date(args.notice_to, lang) or (notice_from + (end_day - start_day))
            batch_id = session.close(con, settings, period, user, notice_from, notice_to)
            emit(args, {"period": period, "batch_id": batch_id},
                      [i18n.t("appraisal.cli.closed", lang, period=period, batch=batch_id)])
        elif args.action == "export":
            out = Path(args.out)
            suffix = out.suffix.lower()
            if suffix not in (".xlsx", ".pdf") or (args.what == "record" and suffix == ".pdf"):
                raise UsageError(i18n.t("appraisal.cli.export_suffix", lang))
            st = session.state(con, settings, period)
            if st is None:
                raise session.AppraisalError("appraisal.err.no_session", period=period)
            data = exports.export_bytes(settings, st, args.what, suffix[1:], lang=lang, mask=args.mask)
            out.parent.mkdir(parents=True, exist_ok=True)
            out.write_bytes(data)
            audit.record(con, user, "export", {"file": out.name, "period": period, "what": args.what,
                                               "masked": bool(args.mask)})   # names leave the store
            emit(args, {"out": str(out)}, [str(out)])
    except session.AppraisalError as exc:
        refuse(args, exc, lang)
        if exc.key == "appraisal.err.no_period":
            return EXIT_USAGE
        return EXIT_REJECTED
    return EXIT_OK

