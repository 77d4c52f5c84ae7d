"""python -m cadre: what the pages do, from a shell.

Exit status: 0 done, 1 rejected input (every problem listed), 2 wrong usage.
``--json`` prints one JSON object on stdout and nothing else there.
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from pathlib import Path

from cadre import i18n

EXIT_OK, EXIT_REJECTED, EXIT_USAGE = 0, 1, 2


class UsageError(Exception):
    """Wrong usage: exit status 2 with the message on stderr."""


class _Parser(argparse.ArgumentParser):
    def error(self, message):  # argparse exits 2 by itself; keep its message
        self.print_usage(sys.stderr)
        print(f"{self.prog}: error: {message}", file=sys.stderr)
        raise SystemExit(EXIT_USAGE)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="python -m cadre", description="cadre: assessment, structure and movements of an office's cadres")
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--db", help="the store (default: $CADRE_DB, else data/cadre.duckdb)")
    common.add_argument("--json", action="store_true", help="print one JSON object")
    common.add_argument("--lang", choices=i18n.LANGUAGES, default=i18n.DEFAULT_LANGUAGE,
                        help="language of messages and tables (zh default)")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    p = sub.add_parser("demo", parents=[common], help="write the demo office files")
    p.add_argument("--out", default="demo_office", help="folder to write to")
    p.add_argument("--people", type=int)
    p.add_argument("--years", type=int)
    p.add_argument("--seed", type=int, default=1999)

    p = sub.add_parser("ingest", parents=[common], help="validate and load files in one transaction")
    p.add_argument("files", nargs="+")

    p = sub.add_parser("report", parents=[common], help="a period's figures")
    p.add_argument("--period", required=True)

    p = sub.add_parser("whatif", parents=[common], help="composites, ranks and grades under other weights")
    p.add_argument("--period", required=True)
    p.add_argument("--weights", help="德=…,能=…,勤=…,绩=…")
    p.add_argument("--sources", help="实绩考核=…,民主评议=…,主任室考评=…,科室自评=…")
    p.add_argument("--quota", type=float, help="share of those assessed who may get the top grade (0..1)")

    p = sub.add_parser("movements", parents=[common], help="a year's appointments and moves")
    p.add_argument("--year", type=int, required=True)

    p = sub.add_parser("structure", parents=[common], help="the cadre structure at a date")
    p.add_argument("--date", help="YYYY-MM-DD (default: the data's latest date)")

    p = sub.add_parser("pack", parents=[common], help="the quarterly review pack (.pptx or .pdf)")
    p.add_argument("--period", required=True)
    p.add_argument("--out", required=True)
    p.add_argument("--mask", action="store_true", help="mask names (姓名脱敏)")

    from cadre import cli_user
    cli_user.add_parser(sub, common)
    return parser


# What each command needs of its caller (checked through cadre.access.can).
NEEDS = {"demo": "view", "ingest": "upload", "report": "view", "whatif": "see_names", "movements": "view",
         "structure": "view", "pack": "export", "user": "manage_users"}


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    from cadre import access
    if not access.can(access.cli_user(), NEEDS[args.command]):
        print(i18n.t("auth.refused", args.lang), file=sys.stderr)
        return EXIT_USAGE
    try:
        return COMMANDS[args.command](args)
    except UsageError as exc:
        print(f"python -m cadre {args.command}: {exc}", file=sys.stderr)
        return EXIT_USAGE


def _emit(args, payload: dict, table_lines: list[str]) -> None:
    if args.json:
        json.dump(payload, sys.stdout, ensure_ascii=False, default=_json_default)
        sys.stdout.write("\n")
    else:
        print("\n".join(table_lines))


def _json_default(value):
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if hasattr(value, "item"):
        return value.item()
    raise TypeError(f"not JSON serialisable: {type(value)}")


def _connect(args):
    from cadre import store
    return store.connect(args.db)


def _open_data(args):
    """The store with data in it: a new, empty store opens on the demo office."""
    from cadre import batches
    con = _connect(args)
    batches.ensure_demo(con, lang=args.lang)
    return con


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
    _emit(args, {"files": [str(p) for p in paths]}, [str(p) for p in paths])
    return EXIT_OK


def cmd_ingest(args) -> int:
    from cadre import batches
    files = []
    for name in args.files:
        path = Path(name)
        if not path.is_file():
            raise UsageError(i18n.t("cli.no_such_file", args.lang, path=name))
        files.append(batches.file_entry(path))
    con = _connect(args)
    result = batches.ingest(con, files, lang=args.lang)
    from cadre import access, audit
    audit.record_upload(con, access.cli_user(), files, result)
    if not result.ok:
        errors = [p.as_dict(args.lang) for p in result.upload.problems]
        lines = [i18n.t("cli.rejected", args.lang, n=len(errors))]
        lines += [_problem_line(e) for e in errors]
        if args.json:
            _emit(args, {"errors": errors}, [])
        else:
            print("\n".join(lines), file=sys.stderr)
        return EXIT_REJECTED
    notes = [p.as_dict(args.lang) for p in result.upload.notes]
    payload = {"loaded": result.loaded, "batch_id": result.batch_id, "notes": notes}
    lines = [i18n.t("cli.loaded", args.lang, batch=result.batch_id)]
    lines += [f"  {i18n.t('dataset.' + k, args.lang)}: {v}" for k, v in result.loaded.items()]
    lines += [_problem_line(n) for n in notes]
    _emit(args, payload, lines)
    return EXIT_OK


def _problem_line(p: dict) -> str:
    where = " ".join(str(x) for x in (p.get("file"), p.get("sheet"), p.get("row"), p.get("column")) if x not in (None, ""))
    return f"  [{where}] {p['message']}"


def cmd_report(args) -> int:
    from cadre import assessment
    con = _open_data(args)
    period = _canonical_period(args.period, args.lang)
    report = assessment.period_report(con, period)
    if report is None:
        raise UsageError(i18n.t("cli.no_period", args.lang, period=args.period))
    lines = assessment.report_lines(report, args.lang)
    _emit(args, report, lines)
    return EXIT_OK


def _canonical_period(text: str, lang: str) -> str:
    import pandas as pd

    from cadre.ingest.parse import parse_periods
    period, _kind, _end, bad = parse_periods(pd.Series([text], dtype=object))
    if bool(bad.iloc[0]) or not isinstance(period.iloc[0], str) or period.iloc[0] in ("", "nan"):
        raise UsageError(i18n.t("cli.bad_period", lang, period=text))
    return period.iloc[0]


def cmd_whatif(args) -> int:
    from cadre import settings as settings_mod, whatif
    dims = _parse_pairs(args.weights, settings_mod.DIMENSIONS, "--weights")
    sources = _parse_pairs(args.sources, settings_mod.SOURCES, "--sources")
    if args.quota is not None and not 0 <= args.quota <= 1:
        raise UsageError("--quota must be between 0 and 1")
    con = _open_data(args)
    period = _canonical_period(args.period, args.lang)
    result = whatif.whatif_report(con, period, dims, sources, args.quota)
    if result is None:
        raise UsageError(i18n.t("cli.no_period", args.lang, period=args.period))
    _emit(args, result, whatif.whatif_lines(result, args.lang))
    return EXIT_OK


def cmd_movements(args) -> int:
    from cadre import cadre_views, timeline
    con = _open_data(args)
    summary = timeline.movements_summary(con, args.year)
    _emit(args, summary, cadre_views.movement_lines(summary, args.lang))
    return EXIT_OK


def cmd_structure(args) -> int:
    from cadre import timeline
    date = None
    if args.date:
        try:
            date = dt.date.fromisoformat(args.date)
        except ValueError:
            raise UsageError(i18n.t("cli.bad_date", args.lang, date=args.date)) from None
    con = _open_data(args)
    result = timeline.structure(con, date)
    lines = [i18n.t("cli.structure_title", args.lang, date=result["date"])]
    for key, value in result.items():
        if key == "date":
            continue
        if isinstance(value, dict):
            value = ", ".join(f"{i18n.value_label(k, args.lang)} {v if not isinstance(v, float) else round(v, 1)}"
                              for k, v in value.items())
        elif isinstance(value, float):
            value = round(value, 1)
        lines.append(f"  {i18n.t('cli.key.' + key, args.lang)}: {value}")
    _emit(args, result, lines)
    return EXIT_OK


def cmd_pack(args) -> int:
    from cadre.export import pack
    out = Path(args.out)
    if out.suffix.lower() not in (".pptx", ".pdf"):
        raise UsageError(i18n.t("cli.pack_suffix", args.lang))
    con = _open_data(args)
    period = _canonical_period(args.period, args.lang)

    def progress(fraction: float, key: str) -> None:
        print(f"[{fraction:4.0%}] {i18n.t(key, args.lang)}", file=sys.stderr, flush=True)

    pack.build_pack(con, period, out, lang=args.lang, mask=args.mask, progress=progress)
    from cadre import access, audit
    audit.record(con, access.cli_user(), "pack", {"period": period, "file": str(out), "masked": bool(args.mask)})
    _emit(args, {"out": str(out)}, [str(out)])
    return EXIT_OK


def cmd_user(args) -> int:
    from cadre import cli_user
    return cli_user.run(args, _connect, _emit)


COMMANDS = {
    "demo": cmd_demo, "ingest": cmd_ingest, "report": cmd_report, "whatif": cmd_whatif,
    "movements": cmd_movements, "structure": cmd_structure, "pack": cmd_pack, "user": cmd_user,
}
