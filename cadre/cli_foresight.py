"""``bash scripts/cadre settings use|show``, ``eligibility`` and ``project``:
the rank rules preset, who may be promoted under the rules in force, and
the workforce projection, from a shell (docs/contract.md, "Command line:
foresight"). Registered by ``cadre.cli`` (``register``), which also lists
what each needs of its caller and its runner.
"""
from __future__ import annotations

from cadre import i18n
from cadre.cli_common import EXIT_OK, UsageError, emit, open_data, parse_date

MAX_YEARS = 10


def register(command, common, h) -> None:
    """Add the commands through ``command`` (a subcommand maker); ``h``
    gives a help text in the user's language."""
    from cadre.foresight import rules
    p = command("settings")
    actions = p.add_subparsers(dest="settings_command", required=True, parser_class=type(p), metavar="ACTION")
    a = actions.add_parser("use", parents=[common], help=h("settings.use"), description=h("settings.use"))
    a.add_argument("preset", choices=sorted(rules.PRESETS), help=h("settings.preset"))
    actions.add_parser("show", parents=[common], help=h("settings.show"), description=h("settings.show"))

    p = command("eligibility")
    p.add_argument("--date", help=h("structure.date"))

    p = command("project")
    p.add_argument("--from", dest="start", help=h("structure.date"))
    p.add_argument("--years", type=int, default=5, help=h("project.years").format(most=MAX_YEARS))
    p.add_argument("--hire", type=int, default=0, help=h("project.hire"))
    p.add_argument("--hire-age", type=int, default=25, help=h("project.hire_age"))
    p.add_argument("--exit-rate", type=float, default=None, help=h("project.exit_rate"))
    p.add_argument("--retire-later", type=float, default=0.0, help=h("project.retire_later"))
    p.add_argument("--faster", type=float, default=0.0, help=h("project.faster"))


def cmd_settings(args) -> int:
    from cadre import access, audit, store
    from cadre.foresight import rules
    con, settings = open_data(args)
    if args.settings_command == "use":
        values = rules.use(con, args.preset)
        changed = {k: {"from": settings.get(k), "to": v} for k, v in values.items() if settings.get(k) != v}
        if changed:
            audit.record(con, access.cli_user(), "settings_change", {"group": "preset", "changed": changed})
        settings = store.get_settings(con)
        emit(args, {"preset": args.preset, "settings": settings},
                  [i18n.t("foresight.cli.preset_used", args.lang, preset=i18n.t(f"foresight.preset.{args.preset}",
                                                                             args.lang))])
        return EXIT_OK
    lines = [i18n.t("foresight.cli.preset_in_force", args.lang,
                    preset=i18n.t(f"foresight.preset.{settings.get('rank_preset', 'demo')}", args.lang),
                    edited=i18n.t("foresight.cli.edited" if rules.edited(settings) else "foresight.cli.as_given",
                                  args.lang))]
    lines += [f"  {key}: {value}" for key, value in settings.items()]
    emit(args, {"preset": settings.get("rank_preset", "demo"), "edited": rules.edited(settings),
                     "settings": settings}, lines)
    return EXIT_OK


def cmd_eligibility(args) -> int:
    from cadre import timeline
    from cadre.foresight import rules
    date = parse_date(args.date, args.lang)
    con, settings = open_data(args)
    d = date or timeline.reference_date(con)
    elig = timeline.eligibility(con, settings, d)
    people = rules.eligibility_people(elig)
    lines = [i18n.t("foresight.cli.eligibility_head", args.lang, date=i18n.format_date(d, args.lang),
                    n=sum(p["eligible"] for p in people), total=len(people))]
    for p in people:
        if p["eligible"]:
            lines.append(f"  {p['person_id']} {p['name']} {p['section'] or ''} {p['rank'] or ''} → {p['next_rank']}")
    emit(args, {"date": d.isoformat() if d else None, "preset": settings.get("rank_preset", "demo"),
                     "people": people}, lines)
    return EXIT_OK


def cmd_project(args) -> int:
    from cadre import timeline
    from cadre.foresight import projection, service
    if not 1 <= args.years <= MAX_YEARS:
        raise UsageError(i18n.t("foresight.cli.bad_years", args.lang, most=MAX_YEARS))
    if args.hire < 0 or (args.exit_rate is not None and not 0 <= args.exit_rate < 1):
        raise UsageError(i18n.t("foresight.cli.bad_scenario", args.lang))
    start = parse_date(args.start, args.lang)
    con, settings = open_data(args)
    start = start or timeline.reference_date(con)
    scenario = projection.Scenario(years=args.years, hire=args.hire, hire_age=args.hire_age,
                                   exit_rate=-1.0 if args.exit_rate is None else args.exit_rate,
                                   retire_later_years=args.retire_later, faster_years=args.faster)
    result, used = service.run(con, settings, start, scenario)
    payload = {"from": start.isoformat(), "preset": settings.get("rank_preset", "demo"),
               "scenario": service.scenario_json(used["scenario"]), **service.payload(result)}
    lines = [i18n.t("foresight.cli.project_row", args.lang, year=y["year"], headcount=round(y["headcount"], 1),
                    mean_age="—" if y["mean_age"] is None else round(y["mean_age"], 1))
             for y in payload["years"]]
    gaps = [f"{s} {y}" for s, y in payload["gap_years"].items() if y is not None]
    lines.append(i18n.t("foresight.cli.gap_years", args.lang, gaps="、".join(gaps) if gaps else "—"))
    emit(args, payload, lines)
    return EXIT_OK
