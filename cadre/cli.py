"""``bash scripts/cadre`` (the ``cadre`` console script of the project's
venv): what the pages do, from a shell.

Exit status: 0 done, 1 rejected input (every problem listed), 2 wrong usage,
3 the store is busy (another process held it past ``--wait``) or cannot be
opened (damaged, another version, not a store).
``--json`` prints one JSON object on stdout and nothing else there; every
answer read from a store that holds the demo office carries ``"demo": true``.
``--db``, ``--json``, ``--lang`` and ``--wait`` go before or after the
command's name. The help speaks Chinese with ``--lang zh`` or a Chinese
locale (``LANG=zh_CN.UTF-8``), else English.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from cadre import cli_text, i18n
from cadre.cli_common import (COMMAND, EXIT_OK, EXIT_REJECTED, EXIT_STORE, EXIT_USAGE, UsageError, add_common,
                              canonical_period, connect, emit, help_language, input_file, open_data,
                              parse_date, parser_class, read_input)


def build_parser(lang: str = "en") -> argparse.ArgumentParser:
    """The whole command line, its help in ``lang``."""
    def h(key):
        return i18n.t(f"cli.help.{key}", lang)
    Parser = parser_class(lang)
    parser = Parser(prog=COMMAND, description=h("description"), epilog=h("epilog"))
    add_common(parser, lang, top=True)
    common = argparse.ArgumentParser(add_help=False)
    add_common(common, lang, top=False)
    sub = parser.add_subparsers(dest="command", required=True, parser_class=Parser,
                                title=h("commands"), metavar="COMMAND")

    def command(name):
        return sub.add_parser(name, parents=[common], help=h(f"cmd.{name}"), description=h(f"cmd.{name}"))

    p = command("demo")
    p.add_argument("--out", default="demo_office", help=h("demo.out"))
    p.add_argument("--people", type=int, help=h("demo.people"))
    p.add_argument("--years", type=int, help=h("demo.years"))
    p.add_argument("--seed", type=int, default=1999, help=h("demo.seed"))

    p = command("ingest")
    p.add_argument("files", nargs="+", help=h("ingest.files"))
    p.add_argument("--office", help=h("ingest.office"))
    p.add_argument("--accept-derived", action="store_true", help=h("ingest.accept_derived"))
    p.add_argument("--mapping", help=h("ingest.mapping"))

    p = command("report")
    p.add_argument("--period", required=True, help=h("period"))

    p = command("whatif")
    p.add_argument("--period", required=True, help=h("period"))
    p.add_argument("--weights", help=h("whatif.weights"))
    p.add_argument("--sources", help=h("whatif.sources"))
    p.add_argument("--quota", type=float, help=h("whatif.quota"))

    p = command("movements")
    p.add_argument("--year", type=int, required=True, help=h("movements.year"))

    p = command("structure")
    p.add_argument("--date", help=h("structure.date"))

    p = command("pack")
    p.add_argument("--period", required=True, help=h("period"))
    p.add_argument("--out", required=True, help=h("pack.out"))
    p.add_argument("--mask", action="store_true", help=h("mask"))

    from cadre import cli_backup, cli_explain, cli_foresight, cli_scores, cli_succession, cli_user, doctor, serve
    from cadre.appraisal import cli as appraisal_cli
    cli_backup.register(command, h)
    cli_scores.register(command, h)
    appraisal_cli.register(command, common, h)
    cli_user.register(command, common, h)
    cli_foresight.register(command, common, h)  # settings, eligibility, project
    cli_succession.register(command, common, h)  # succession, recommend
    cli_explain.register(command, h)
    doctor.register(command, h)
    serve.register(command, h)
    return parser


# What each command needs of its caller (checked through cadre.access.can).
NEEDS = {"demo": "view", "ingest": "upload", "report": "view", "whatif": "see_names", "movements": "view",
         "structure": "view", "pack": "export", "user": "manage_users", "appraisal": "appraise",
         "backup": "backup", "restore": "backup", "doctor": "view", "serve": "view",
         "settings": "edit_settings", "eligibility": "view", "project": "view", "explain": "view_person",
         "succession": "view_person", "recommend": "recommend", "scores": "edit_settings"}


def main(argv: list[str] | None = None) -> int:
    import duckdb

    from cadre import store
    argv = sys.argv[1:] if argv is None else list(argv)
    args = build_parser(help_language(argv)).parse_args(argv)
    from cadre import access
    if not access.can(access.cli_user(), NEEDS[args.command]):
        print(i18n.t("auth.refused", args.lang), file=sys.stderr)
        return EXIT_USAGE
    try:
        try:
            return _commands()[args.command](args)
        except duckdb.Error as exc:  # a store that opened, damaged inside: exit 3 like one that did not open
            unusable = store.damaged(exc, store.db_path(args.db))
            if unusable is None:
                raise
            raise unusable from None
    except UsageError as exc:
        print(f"{COMMAND} {args.command}: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except store.StoreError as exc:
        message = exc.message(args.lang)
        print(f"{COMMAND} {args.command}: {message}", file=sys.stderr)
        if args.json:
            kind = "busy" if isinstance(exc, store.StoreBusy) else "unusable"
            json.dump({"error": {"kind": kind, "code": exc.code, "message": message}},
                      sys.stdout, ensure_ascii=False)
            sys.stdout.write("\n")
        return EXIT_STORE
    finally:
        con = getattr(args, "_con", None)
        if con is not None:
            try:
                con.close()
            except duckdb.Error:  # a store invalidated by the damage reported above
                pass


def _parse_pairs(text: str | None, allowed: list[str], what: str) -> dict | None:
    if not text:
        return None
    out = {}
    for part in text.replace("，", ",").split(","):
        if not part.strip():
            continue
        if "=" not in part:
            raise UsageError(f"{what}: expected NAME=VALUE, got {part!r}")
        key, value = (s.strip() for s in part.split("=", 1))
        if key not in allowed:
            raise UsageError(f"{what}: unknown name {key!r}; one of {', '.join(allowed)}")
        try:
            out[key] = float(value)
        except ValueError:
            raise UsageError(f"{what}: {key}={value!r} is not a number") from None
        if out[key] < 0:
            raise UsageError(f"{what}: {key} must not be negative")
    if out and sum(out.values()) <= 0:
        raise UsageError(f"{what}: the weights sum to zero")
    return out


def cmd_demo(args) -> int:
    from cadre import demo
    paths = demo.write_files(Path(args.out), people=args.people, years=args.years, seed=args.seed)
    emit(args, {"files": [str(p) for p in paths]}, [str(p) for p in paths])
    return EXIT_OK


def cmd_ingest(args) -> int:
    files = []
    for name in args.files:
        path = input_file(name, args.lang)
        files.append((path.name, read_input(path, args.lang)))
    mapping = None
    if args.mapping:
        from cadre.ingest.mapping import load_mapping_file
        path = input_file(args.mapping, args.lang)
        try:
            mapping = load_mapping_file(read_input(path, args.lang).decode("utf-8-sig"))
        except ValueError as exc:  # UnicodeDecodeError included
            raise UsageError(i18n.t("lrmx.cli.bad_mapping", args.lang, path=args.mapping, detail=str(exc)[:120])) from None
    from cadre import batches
    con = connect(args)
    from cadre import access
    result = batches.ingest(con, files, lang=args.lang, office=args.office, user=access.cli_user(),
                            accept_derived=args.accept_derived, mapping=mapping)
    if not result.ok:
        errors = [p.as_dict(args.lang) for p in result.upload.problems]
        lines = cli_text.rejected_lines(errors, args.lang)
        if args.json:
            emit(args, {"errors": errors}, [])
        else:
            print("\n".join(lines), file=sys.stderr)
        return EXIT_REJECTED
    if result.already is not None:
        message = i18n.t("store.already_loaded", args.lang, batch=result.already)
        emit(args, {"loaded": {}, "batch_id": None, "already_loaded": result.already,
                     "message": message, "notes": []}, [message])
        return EXIT_OK
    notes = [p.as_dict(args.lang) for p in result.upload.notes]
    payload = {"loaded": result.loaded, "batch_id": result.batch_id, "notes": notes}
    emit(args, payload, cli_text.loaded_lines(result.batch_id, result.loaded, notes, args.lang))
    return EXIT_OK


def cmd_report(args) -> int:
    from cadre import assessment
    con, settings = open_data(args)
    period = canonical_period(args.period, args.lang)
    report = assessment.period_report(con, settings, period)
    if report is None:
        raise UsageError(i18n.t("cli.no_period", args.lang, period=args.period))
    emit(args, report, cli_text.report_lines(report, args.lang))
    return EXIT_OK


def cmd_whatif(args) -> int:
    from cadre import settings as settings_mod, whatif
    dims = _parse_pairs(args.weights, settings_mod.DIMENSIONS, "--weights")
    sources = _parse_pairs(args.sources, settings_mod.SOURCES, "--sources")
    if args.quota is not None and not 0 <= args.quota <= 1:
        raise UsageError("--quota must be between 0 and 1")
    con, settings = open_data(args)
    period = canonical_period(args.period, args.lang)
    result = whatif.whatif_report(con, settings, period, dims, sources, args.quota)
    if result is None:
        raise UsageError(i18n.t("cli.no_period", args.lang, period=args.period))
    emit(args, result, cli_text.whatif_lines(result, args.lang))
    return EXIT_OK


def cmd_movements(args) -> int:
    from cadre import timeline
    con, settings = open_data(args)
    summary = timeline.movements_summary(con, settings, args.year)
    emit(args, summary, cli_text.movement_lines(summary, args.lang))
    return EXIT_OK


def cmd_structure(args) -> int:
    from cadre import timeline
    date = parse_date(args.date, args.lang)
    con, settings = open_data(args)
    result = timeline.structure(con, settings, date)
    emit(args, result, cli_text.structure_lines(result, args.lang))
    return EXIT_OK


def cmd_pack(args) -> int:
    from cadre.export import pack
    out = Path(args.out)
    if out.suffix.lower() not in (".pptx", ".pdf"):
        raise UsageError(i18n.t("cli.pack_suffix", args.lang))
    con, settings = open_data(args)
    period = canonical_period(args.period, args.lang)

    def progress(fraction: float, key: str) -> None:
        print(f"[{int(fraction * 100 + 0.5):3d}%] {i18n.t(key, args.lang)}", file=sys.stderr, flush=True)

    pack.build_pack(con, settings, period, out, lang=args.lang, mask=args.mask, progress=progress)
    from cadre import access, audit
    audit.record(con, access.cli_user(), "pack", {"period": period, "file": str(out), "masked": bool(args.mask)})
    emit(args, {"out": str(out)}, [str(out)])
    return EXIT_OK


def _commands() -> dict:
    from cadre import cli_backup, cli_explain, cli_foresight, cli_scores, cli_succession, cli_user, doctor, serve
    from cadre.appraisal import cli as appraisal_cli
    return {
        "scores": cli_scores.run,
        "succession": cli_succession.cmd_succession, "recommend": cli_succession.cmd_recommend,
        "settings": cli_foresight.cmd_settings, "eligibility": cli_foresight.cmd_eligibility,
        "project": cli_foresight.cmd_project, "explain": cli_explain.run,
        "backup": cli_backup.cmd_backup, "restore": cli_backup.cmd_restore,
        "demo": cmd_demo, "ingest": cmd_ingest, "report": cmd_report, "whatif": cmd_whatif,
        "movements": cmd_movements, "structure": cmd_structure, "pack": cmd_pack, "user": cli_user.run,
        "appraisal": appraisal_cli.run, "doctor": doctor.run, "serve": serve.cmd_serve,
    }


def console() -> None:
    """The ``cadre`` console script (``.venv/bin/cadre``) and ``.venv/bin/python -m cadre`` (what ``scripts/cadre`` runs)."""
    raise SystemExit(main())
