"""python -m cadre: what the pages do, from a shell.

Exit status: 0 done, 1 rejected input (every problem listed), 2 wrong usage,
3 the store is busy (another process held it past ``--wait``) or cannot be
opened (damaged, another version, not a store).
``--json`` prints one JSON object on stdout and nothing else there; every
answer read from a store that holds the demo office carries ``"demo": true``.
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from pathlib import Path

from cadre import cli_text, i18n

EXIT_OK, EXIT_REJECTED, EXIT_USAGE, EXIT_STORE = 0, 1, 2, 3


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
    common.add_argument("--wait", type=float, default=None, metavar="SECONDS",
                        help="wait this long for a store another process is using "
                             "(default: $CADRE_WAIT, else 30)")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    p = sub.add_parser("demo", parents=[common], help="write the demo office files")
    p.add_argument("--out", default="demo_office", help="folder to write to")
    p.add_argument("--people", type=int)
    p.add_argument("--years", type=int)
    p.add_argument("--seed", type=int, default=1999)

    p = sub.add_parser("ingest", parents=[common], help="validate and load files in one transaction")
    p.add_argument("files", nargs="+")
    p.add_argument("--office", help="the office's unit name in 任免审批表 files (default: the settings' office name)")
    p.add_argument("--accept-derived", action="store_true",
                   help="load what is certain in 任免审批表 files and list the rest")
    p.add_argument("--mapping", help="a column mapping (JSON) for a spreadsheet whose headers are unknown")

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
    p = sub.add_parser("backup", parents=[common], help="the whole store as one file (Parquet tables, manifest, checksums)")
    p.add_argument("--out", required=True, help="the backup file to write (.zip)")

    p = sub.add_parser("restore", parents=[common], help="check a backup and load it into an empty store")
    p.add_argument("backup", help="a file written by backup")

    from cadre.appraisal import cli as appraisal_cli
    appraisal_cli.register(sub, common)

    from cadre import cli_user
    cli_user.add_parser(sub, common)
    __import__("cadre.cli_foresight").cli_foresight.register(sub, common)  # settings, eligibility, project
    __import__("cadre.cli_succession").cli_succession.register(sub, common)  # succession, recommend
    return parser


# What each command needs of its caller (checked through cadre.access.can).
NEEDS = {"demo": "view", "ingest": "upload", "report": "view", "whatif": "see_names", "movements": "view",
         "structure": "view", "pack": "export", "user": "manage_users", "appraisal": "appraise",
         "backup": "backup", "restore": "backup"}


def main(argv: list[str] | None = None) -> int:
    import duckdb

    from cadre import store
    args = build_parser().parse_args(argv)
    from cadre import access
    if not access.can(access.cli_user(), NEEDS[args.command]):
        print(i18n.t("auth.refused", args.lang), file=sys.stderr)
        return EXIT_USAGE
    try:
        try:
            return COMMANDS[args.command](args)
        except duckdb.Error as exc:  # a store that opened, damaged inside: exit 3 like one that did not open
            unusable = store.damaged(exc, store.db_path(args.db))
            if unusable is None:
                raise
            raise unusable from None
    except UsageError as exc:
        print(f"python -m cadre {args.command}: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except store.StoreError as exc:
        message = exc.message(args.lang)
        print(f"python -m cadre {args.command}: {message}", file=sys.stderr)
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


def _emit(args, payload: dict, table_lines: list[str]) -> None:
    if _from_demo(args):
        payload = {"demo": True, **payload}
        print(i18n.t("store.cli.demo_answer", args.lang), file=sys.stderr)
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


def _connect(args, new_key: str = "store.cli.new_empty"):
    """The store, waiting for another process up to ``--wait``; a path with
    no store yet is created, and the command says so on stderr."""
    from cadre import store
    path = store.db_path(args.db)
    new = str(path) != ":memory:" and not path.exists()
    con = store.connect(path, wait=args.wait)
    args._con = con
    if new:
        print(i18n.t(new_key, args.lang, path=str(path)), file=sys.stderr)
    return con


def _from_demo(args) -> bool:
    """True when the answer was read from a store holding the demo office."""
    from cadre import batches
    con = getattr(args, "_con", None)
    return con is not None and batches.holds_demo(con)


def _open_data(args):
    """The store with data in it (a new, empty store opens on the demo
    office) and the settings stored with it, which every command passes to
    the services explicitly."""
    from cadre import batches, store
    con = _connect(args, "store.cli.new_store")
    batches.ensure_demo(con, lang=args.lang)
    return con, store.get_settings(con)


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


def _input_file(name: str, lang: str) -> Path:
    """``name`` when it is a regular file; else wrong usage saying what it is
    (missing, a folder, or a FIFO, device or socket, which is never read:
    reading a FIFO would wait for a writer forever)."""
    path = Path(name)
    if path.is_file():
        return path
    key = ("cli.is_a_folder" if path.is_dir() else "cli.not_a_regular_file" if path.exists()
           else "cli.no_such_file")
    raise UsageError(i18n.t(key, lang, path=name))


def _read_input(path: Path, lang: str) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:  # no permission, a disk error
        raise UsageError(i18n.t("cli.unreadable_file", lang, path=str(path),
                                reason=exc.strerror or type(exc).__name__)) from None


def cmd_ingest(args) -> int:
    files = []
    for name in args.files:
        path = _input_file(name, args.lang)
        files.append((path.name, _read_input(path, args.lang)))
    mapping = None
    if args.mapping:
        from cadre.ingest.mapping import load_mapping_file
        path = _input_file(args.mapping, args.lang)
        try:
            mapping = load_mapping_file(_read_input(path, args.lang).decode("utf-8-sig"))
        except ValueError as exc:  # UnicodeDecodeError included
            raise UsageError(i18n.t("lrmx.cli.bad_mapping", args.lang, path=args.mapping, detail=str(exc)[:120])) from None
    from cadre import batches
    con = _connect(args)
    from cadre import access
    result = batches.ingest(con, files, lang=args.lang, office=args.office, user=access.cli_user(),
                            accept_derived=args.accept_derived, mapping=mapping)
    if not result.ok:
        errors = [p.as_dict(args.lang) for p in result.upload.problems]
        lines = cli_text.rejected_lines(errors, args.lang)
        if args.json:
            _emit(args, {"errors": errors}, [])
        else:
            print("\n".join(lines), file=sys.stderr)
        return EXIT_REJECTED
    if result.already is not None:
        message = i18n.t("store.already_loaded", args.lang, batch=result.already)
        _emit(args, {"loaded": {}, "batch_id": None, "already_loaded": result.already,
                     "message": message, "notes": []}, [message])
        return EXIT_OK
    notes = [p.as_dict(args.lang) for p in result.upload.notes]
    payload = {"loaded": result.loaded, "batch_id": result.batch_id, "notes": notes}
    _emit(args, payload, cli_text.loaded_lines(result.batch_id, result.loaded, notes, args.lang))
    return EXIT_OK


def cmd_report(args) -> int:
    from cadre import assessment
    con, settings = _open_data(args)
    period = _canonical_period(args.period, args.lang)
    report = assessment.period_report(con, period, settings=settings)
    if report is None:
        raise UsageError(i18n.t("cli.no_period", args.lang, period=args.period))
    _emit(args, report, cli_text.report_lines(report, args.lang))
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
    con, settings = _open_data(args)
    period = _canonical_period(args.period, args.lang)
    result = whatif.whatif_report(con, period, dims, sources, args.quota, settings=settings)
    if result is None:
        raise UsageError(i18n.t("cli.no_period", args.lang, period=args.period))
    _emit(args, result, cli_text.whatif_lines(result, args.lang))
    return EXIT_OK


def cmd_movements(args) -> int:
    from cadre import timeline
    con, settings = _open_data(args)
    summary = timeline.movements_summary(con, args.year, settings=settings)
    _emit(args, summary, cli_text.movement_lines(summary, args.lang))
    return EXIT_OK


def cmd_structure(args) -> int:
    from cadre import timeline
    date = None
    if args.date:
        try:
            date = dt.date.fromisoformat(args.date)
        except ValueError:
            raise UsageError(i18n.t("cli.bad_date", args.lang, date=args.date)) from None
    con, settings = _open_data(args)
    result = timeline.structure(con, date, settings=settings)
    _emit(args, result, cli_text.structure_lines(result, args.lang))
    return EXIT_OK


def cmd_pack(args) -> int:
    from cadre.export import pack
    out = Path(args.out)
    if out.suffix.lower() not in (".pptx", ".pdf"):
        raise UsageError(i18n.t("cli.pack_suffix", args.lang))
    con, _settings = _open_data(args)  # the pack reads them with the data it shows
    period = _canonical_period(args.period, args.lang)

    def progress(fraction: float, key: str) -> None:
        print(f"[{int(fraction * 100 + 0.5):3d}%] {i18n.t(key, args.lang)}", file=sys.stderr, flush=True)

    pack.build_pack(con, period, out, lang=args.lang, mask=args.mask, progress=progress)
    from cadre import access, audit
    audit.record(con, access.cli_user(), "pack", {"period": period, "file": str(out), "masked": bool(args.mask)})
    _emit(args, {"out": str(out)}, [str(out)])
    return EXIT_OK


def cmd_appraisal(args) -> int:
    from cadre.appraisal import cli as appraisal_cli
    return appraisal_cli.run(args)


def cmd_backup(args) -> int:
    from cadre import backup
    out = Path(args.out)
    if not out.parent.is_dir():
        raise UsageError(i18n.t("backup.no_folder", args.lang, path=str(out.parent)))
    con = _connect(args)
    tmp = out.with_name(out.name + ".part")
    try:
        manifest = backup.write(con, tmp)
        tmp.replace(out)  # a backup file is whole or absent
    finally:
        tmp.unlink(missing_ok=True)
    rows = {t["name"]: t["rows"] for t in manifest["tables"]}
    payload = {"out": str(out), "schema_version": manifest["schema_version"], "tables": rows}
    lines = [i18n.t("backup.written", args.lang, path=str(out), n=len(rows))]
    lines += [f"  {name}: {n}" for name, n in rows.items()]
    _emit(args, payload, lines)
    return EXIT_OK


def cmd_restore(args) -> int:
    from cadre import backup, store
    source = _input_file(args.backup, args.lang)
    target = store.db_path(args.db)
    try:
        manifest = backup.restore(source, target)
    except backup.BackupError as exc:
        message = exc.message(args.lang)
        if args.json:
            _emit(args, {"errors": [{"file": source.name, "message": message}]}, [])
        print(f"python -m cadre restore: {message}", file=sys.stderr)
        return EXIT_REJECTED
    rows = {t["name"]: t["rows"] for t in manifest["tables"]}
    payload = {"restored": str(target), "from": str(source), "created_at": manifest["created_at"], "tables": rows}
    lines = [i18n.t("backup.restored", args.lang, path=str(target), created=manifest["created_at"], n=len(rows))]
    lines += [f"  {name}: {n}" for name, n in rows.items()]
    _emit(args, payload, lines)
    return EXIT_OK


def cmd_user(args) -> int:
    from cadre import cli_user
    return cli_user.run(args, _connect, _emit)


COMMANDS = {
    "backup": cmd_backup, "restore": cmd_restore,
    "demo": cmd_demo, "ingest": cmd_ingest, "report": cmd_report, "whatif": cmd_whatif,
    "movements": cmd_movements, "structure": cmd_structure, "pack": cmd_pack, "user": cmd_user,
    "appraisal": cmd_appraisal,
}
