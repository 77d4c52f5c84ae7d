"""``python -m cadre settings use|show``, ``eligibility`` and ``project``:
the rank rules preset, who may be promoted under the rules in force, and
the workforce projection, from a shell (docs/contract.md, "Command line:
foresight"). Registered by ``cadre.cli`` with one line (``register``),
which adds the commands, what each needs of its caller, and their runners.
"""
from __future__ import annotations

import datetime as dt

from cadre import i18n

MAX_YEARS = 10


def register(sub, common) -> None:
    """Add the commands to the top-level subparsers and to ``cadre.cli``'s tables."""
    from cadre import cli
    from cadre.foresight import rules
    p = sub.add_parser("settings", parents=[common], help="the settings in force and the rank rules presets")
    actions = p.add_subparsers(dest="settings_command", required=True, parser_class=type(p))
    a = actions.add_parser("use", parents=[common], help="switch to a rank rules preset")
    a.add_argument("preset", choices=sorted(rules.PRESETS))
    actions.add_parser("show", parents=[common], help="print the settings in force")

    p = sub.add_parser("eligibility", parents=[common], help="who meets the promotion rules in force at a date")
    p.add_argument("--date", help="YYYY-MM-DD (default: the data's latest date)")

    p = sub.add_parser("project", parents=[common], help="the office year by year (队伍预测)")
    p.add_argument("--from", dest="start", help="YYYY-MM-DD (default: the data's latest date)")
    p.add_argument("--years", type=int, default=5, help=f"1..{MAX_YEARS} (default 5)")
    p.add_argument("--hire", type=int, default=0, help="people hired a year (default 0)")
    p.add_argument("--hire-age", type=int, default=25)
    p.add_argument("--exit-rate", type=float, default=None,
                   help="other exits a year, a share (default: the office's rate over the last 3 years)")
    p.add_argument("--retire-later", type=float, default=0.0, help="years added to every retirement age")
    p.add_argument("--faster", type=float, default=0.0, help="years off every step's time in rank")

    cli.NEEDS.update({"settings": "edit_settings", "eligibility": "view", "project": "view"})
    cli.COMMANDS.update({"settings": cmd_settings, "eligibility": cmd_eligibility, "project": cmd_project})


def _date(text, lang):
    from cadre.cli import UsageError
    if text is None:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise UsageError(i18n.t("cli.bad_date", lang, date=text)) from None


def cmd_settings(args) -> int:
    from cadre import access, audit, cli, store
    from cadre.foresight import rules
    con, settings = cli._open_data(args)
    if args.settings_command == "use":
        values = rules.use(con, args.preset)
        changed = {k: {"from": settings.get(k), "to": v} for k, v in values.items() if settings.get(k) != v}
        if changed:
            audit.record(con, access.cli_user(), "settings_change", {"group": "preset", "changed": changed})
        settings = store.get_settings(con)
        cli._emit(args, {"preset": args.preset, "settings": settings},
                  [i18n.t("foresight.cli.preset_used", args.lang, preset=i18n.t(f"foresight.preset.{args.preset}",
                                                                             args.lang))])
        return cli.EXIT_OK
    lines = [i18n.t("foresight.cli.preset_in_force", args.lang,
                    preset=i18n.t(f"foresight.preset.{settings.get('rank_preset', 'demo')}", args.lang),
                    edited=i18n.t("foresight.cli.edited" if rules.edited(settings) else "foresight.cli.as_given",
                                  args.lang))]
    lines += [f"  {key}: {value}" for key, value in settings.items()]
    cli._emit(args, {"preset": settings.get("rank_preset", "demo"), "edited": rules.edited(settings),
                     "settings": settings}, lines)
    return cli.EXIT_OK


def cmd_eligibility(args) -> int:
    from cadre import cli, timeline
    from cadre.foresight import rules
    date = _date(args.date, args.lang)
    con, settings = cli._open_data(args)
    d = date or timeline.reference_date(con)
    elig = timeline.eligibility(con, d, settings=settings)
    people = rules.eligibility_people(elig)
    lines = [i18n.t("foresight.cli.eligibility_head", args.lang, date=i18n.format_date(d, args.lang),
                    n=sum(p["eligible"] for p in people), total=len(people))]
    for p in people:
        if p["eligible"]:
            lines.append(f"  {p['person_id']} {p['name']} {p['section'] or ''} {p['rank'] or ''} → {p['next_rank']}")
    cli._emit(args, {"date": d.isoformat() if d else None, "preset": settings.get("rank_preset", "demo"),
                     "people": people}, lines)
    return cli.EXIT_OK


def cmd_project(args) -> int:
    from cadre import cli, timeline
    from cadre.foresight import projection, service
    if not 1 <= args.years <= MAX_YEARS:
        raise cli.UsageError(i18n.t("foresight.cli.bad_years", args.lang, most=MAX_YEARS))
    if args.hire < 0 or (args.exit_rate is not None and not 0 <= args.exit_rate < 1):
        raise cli.UsageError(i18n.t("foresight.cli.bad_scenario", args.lang))
    start = _date(args.start, args.lang)
    con, settings = cli._open_data(args)
    start = start or timeline.reference_date(con)
    scenario = projection.Scenario(years=args.years, hire=args.hire, hire_age=args.hire_age,
                                   exit_rate=-1.0 if args.exit_rate is None else args.exit_rate,
                                   retire_later_years=args.retire_later, faster_years=args.faster)
    result, used = service.run(con, start, scenario, settings)
    payload = {"from": start.isoformat(), "preset": settings.get("rank_preset", "demo"),
               "scenario": service.scenario_json(used["scenario"]), **service.payload(result)}
    lines = [i18n.t("foresight.cli.project_row", args.lang, year=y["year"], headcount=round(y["headcount"], 1),
                    mean_age="—" if y["mean_age"] is None else round(y["mean_age"], 1))
             for y in payload["years"]]
    gaps = [f"{s} {y}" for s, y in payload["gap_years"].items() if y is not None]
    lines.append(i18n.t("foresight.cli.gap_years", args.lang, gaps="、".join(gaps) if gaps else "—"))
    cli._emit(args, payload, lines)
    return cli.EXIT_OK
