"""``bash scripts/cadre backup`` and ``restore``.

``backup --out FILE.zip`` writes one backup file; ``backup --out FOLDER``
writes a dated file into the folder (``cadre-backup-YYYYMMDD-HHMMSS.zip``),
and with ``--keep N`` then deletes the oldest dated files of that folder
beyond the newest N (the nightly timer of ``scripts/install-service.sh``).
A backup file is whole or absent: it is written beside its name and renamed.
"""
from __future__ import annotations

import datetime as dt
import re
import sys
from pathlib import Path

from cadre import i18n
from cadre.cli_common import COMMAND, EXIT_OK, EXIT_REJECTED, UsageError, connect, emit, input_file

PREFIX = "cadre-backup-"
DATED = re.compile(r"^cadre-backup-\d{8}-\d{6}(-\d+)?\.zip$")


def register(command, h) -> None:
    """Add ``backup`` and ``restore`` through ``command`` (a subcommand
    maker); ``h`` gives a help text in the user's language."""
    p = command("backup")
    p.add_argument("--out", required=True, help=h("backup.out"))
    p.add_argument("--keep", type=int, metavar="N", help=h("backup.keep"))
    p = command("restore")
    p.add_argument("backup", help=h("restore.backup"))


def dated_name(now: dt.datetime) -> str:
    return f"{PREFIX}{now:%Y%m%d-%H%M%S}.zip"


def target(out: Path, now: dt.datetime) -> Path:
    """The file a backup writes: ``out`` itself, or a dated file in the
    folder ``out`` (a number added if that second's file exists)."""
    if not out.is_dir():
        return out
    path = out / dated_name(now)
    n = 1
    while path.exists():
        path = out / f"{PREFIX}{now:%Y%m%d-%H%M%S}-{n}.zip"
        n += 1
    return path


def prune(folder: Path, keep: int) -> list[Path]:
    """Delete the oldest dated backups of ``folder`` beyond the newest
    ``keep``; other files are never touched. The deleted files, oldest first."""
    dated = sorted((p for p in folder.iterdir() if p.is_file() and DATED.match(p.name)),
                   key=lambda p: (p.name[len(PREFIX):len(PREFIX) + 15], p.stat().st_mtime, p.name))
    old = dated[:max(len(dated) - keep, 0)]
    for path in old:
        path.unlink()
    return old


def cmd_backup(args) -> int:
    from cadre import backup
    out = Path(args.out)
    if args.keep is not None:
        if args.keep < 1:
            raise UsageError(i18n.t("backup.keep_positive", args.lang))
        if not out.is_dir():
            raise UsageError(i18n.t("backup.keep_needs_folder", args.lang, path=str(out)))
    if not out.is_dir() and not out.parent.is_dir():
        raise UsageError(i18n.t("backup.no_folder", args.lang, path=str(out.parent)))
    path = target(out, dt.datetime.now())
    con = connect(args)
    tmp = path.with_name(path.name + ".part")
    try:
        manifest = backup.write(con, tmp)
        tmp.replace(path)  # a backup file is whole or absent
    finally:
        tmp.unlink(missing_ok=True)
    removed = prune(out, args.keep) if args.keep is not None else []
    rows = {t["name"]: t["rows"] for t in manifest["tables"]}
    payload = {"out": str(path), "schema_version": manifest["schema_version"], "tables": rows,
               "removed": [str(p) for p in removed]}
    lines = [i18n.t("backup.written", args.lang, path=str(path), n=len(rows))]
    lines += [f"  {name}: {n}" for name, n in rows.items()]
    if removed:
        lines.append(i18n.t("backup.pruned", args.lang, n=len(removed), keep=args.keep))
    emit(args, payload, lines)
    return EXIT_OK


def cmd_restore(args) -> int:
    from cadre import backup, store
    source = input_file(args.backup, args.lang)
    target_db = store.db_path(args.db)
    try:
        manifest = backup.restore(source, target_db)
    except backup.BackupError as exc:
        message = exc.message(args.lang)
        if args.json:
            emit(args, {"errors": [{"file": source.name, "message": message}]}, [])
        print(f"{COMMAND} restore: {message}", file=sys.stderr)
        return EXIT_REJECTED
    rows = {t["name"]: t["rows"] for t in manifest["tables"]}
    payload = {"restored": str(target_db), "from": str(source), "created_at": manifest["created_at"], "tables": rows}
    lines = [i18n.t("backup.restored", args.lang, path=str(target_db), created=manifest["created_at"], n=len(rows))]
    lines += [f"  {name}: {n}" for name, n in rows.items()]
    emit(args, payload, lines)
    return EXIT_OK
