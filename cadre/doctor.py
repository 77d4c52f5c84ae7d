"""``bash scripts/cadre doctor``: is this server ready to run cadre?

Each check says what it found and, when something is wrong, what to do
about it, in the user's language: the Python version, every pinned package
importable at its pin, Chromium and the CJK fonts the exports need, the
store (opens, its schema version against this version's), free disk in the
data folder and a writable backup folder. Exit status 0 when nothing is
wrong (warnings allowed), 1 when a check failed; ``--json`` prints
``{"ok": …, "checks": [{"name", "status", "message", "fix"}]}``.
"""
from __future__ import annotations

import importlib
import importlib.metadata
import os
import re
import shutil
import subprocess
import sys
import tempfile
from dataclasses import asdict, dataclass
from pathlib import Path

from cadre import i18n
from cadre.cli_common import COMMAND, EXIT_OK, EXIT_REJECTED, ROOT, emit

OK, WARN, FAIL = "ok", "warn", "fail"
MIN_PYTHON = (3, 11)
MIN_FREE_MB = 1024  # a backup and a day's uploads with room to spare
FONTS = ("Noto Sans CJK", "WenQuanYi Zen Hei")  # screen and slides; printed PDFs (cadre.export.pdf)
# Distributions whose import name differs from their own.
IMPORT_NAMES = {"python-pptx": "pptx", "argon2-cffi": "argon2", "argon2-cffi-bindings": "_argon2_cffi_bindings"}


@dataclass
class Check:
    name: str
    status: str
    message: str
    fix: str = ""


def register(command, h) -> None:
    """Add ``doctor`` through ``command`` (a subcommand maker)."""
    p = command("doctor")
    p.add_argument("--backup-dir", help=h("doctor.backup_dir"))
    p.add_argument("--min-free-mb", type=int, default=MIN_FREE_MB, help=h("doctor.min_free_mb"))


def pins(path: Path = ROOT / "requirements.txt") -> dict[str, str]:
    """``name -> version`` of every ``name==version`` line."""
    out = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        m = re.match(r"^\s*([A-Za-z0-9_.\-]+)\s*==\s*([^\s#;]+)", line)
        if m:
            out[m.group(1)] = m.group(2)
    return out


def check_python(lang: str, version=sys.version_info) -> Check:
    found = ".".join(str(v) for v in version[:3])
    if tuple(version[:2]) >= MIN_PYTHON:
        return Check("python", OK, i18n.t("doctor.python.ok", lang, version=found))
    return Check("python", FAIL, i18n.t("doctor.python.old", lang, version=found),
                 i18n.t("doctor.fix.setup", lang))


def check_packages(lang: str, wanted: dict[str, str] | None = None) -> Check:
    wanted = pins() if wanted is None else wanted
    wrong = []
    for name, pin in wanted.items():
        try:
            found = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            wrong.append(i18n.t("doctor.packages.missing", lang, name=name, pin=pin))
            continue
        if found != pin:
            wrong.append(i18n.t("doctor.packages.other", lang, name=name, pin=pin, found=found))
            continue
        module = IMPORT_NAMES.get(name, name.replace("-", "_"))
        try:
            importlib.import_module(module)
        except Exception as exc:  # a broken install: any error on import is the finding
            wrong.append(i18n.t("doctor.packages.broken", lang, name=name, error=f"{type(exc).__name__}: {exc}"[:200]))
    if wrong:
        return Check("packages", FAIL, i18n.join(wrong, lang), i18n.t("doctor.fix.setup", lang))
    return Check("packages", OK, i18n.t("doctor.packages.ok", lang, n=len(wanted)))


def check_chromium(lang: str) -> Check:
    from cadre.export.pdf import CHROMIUM
    exe = CHROMIUM if os.path.exists(CHROMIUM) else shutil.which("chromium")
    if exe:
        return Check("chromium", OK, i18n.t("doctor.chromium.ok", lang, path=exe))
    return Check("chromium", FAIL, i18n.t("doctor.chromium.missing", lang), i18n.t("doctor.fix.setup", lang))


def check_fonts(lang: str, listing: str | None = None) -> Check:
    if listing is None:
        try:
            listing = subprocess.run(["fc-list"], capture_output=True, text=True, timeout=60).stdout
        except (OSError, subprocess.SubprocessError):
            listing = ""
    missing = [font for font in FONTS if font.lower() not in listing.lower()]
    if missing:
        return Check("fonts", FAIL, i18n.t("doctor.fonts.missing", lang, fonts=i18n.join(missing, lang)),
                     i18n.t("doctor.fix.setup", lang))
    return Check("fonts", OK, i18n.t("doctor.fonts.ok", lang, fonts=i18n.join(FONTS, lang)))


def check_store(lang: str, db=None, wait: float | None = None) -> Check:
    from cadre import store
    path = store.db_path(db)
    if not path.exists():
        return Check("store", WARN, i18n.t("doctor.store.none", lang, path=str(path)))
    try:
        con = store.connect(path, read_only=True, wait=5.0 if wait is None else wait)
    except store.StoreError as exc:
        fix = "doctor.fix.newer" if exc.code == "newer" else "doctor.fix.busy" if isinstance(
            exc, store.StoreBusy) else "doctor.fix.restore"
        return Check("store", FAIL, exc.message(lang), i18n.t(fix, lang, command=COMMAND))
    try:
        version = store.schema_version(con)
    finally:
        con.close()
    if version < store.SCHEMA_VERSION:
        return Check("store", OK, i18n.t("doctor.store.older", lang, path=str(path), version=version,
                                          current=store.SCHEMA_VERSION))
    return Check("store", OK, i18n.t("doctor.store.ok", lang, path=str(path), version=version))


def _existing(path: Path) -> Path:
    """``path`` or its nearest folder that exists."""
    path = path.resolve()
    while not path.exists() and path != path.parent:
        path = path.parent
    return path


def check_disk(lang: str, db=None, min_free_mb: int = MIN_FREE_MB) -> Check:
    from cadre import store
    folder = _existing(store.db_path(db).resolve().parent)
    free = shutil.disk_usage(folder).free // (1024 * 1024)
    if free < min_free_mb:
        return Check("disk", FAIL, i18n.t("doctor.disk.low", lang, path=str(folder), free=free, need=min_free_mb),
                     i18n.t("doctor.fix.disk", lang))
    return Check("disk", OK, i18n.t("doctor.disk.ok", lang, path=str(folder), free=free))


def default_backup_dir(db=None) -> Path:
    from cadre import store
    return store.db_path(db).resolve().parent / "backups"


def check_backup_dir(lang: str, folder: Path) -> Check:
    if not folder.is_dir():
        return Check("backup_dir", FAIL, i18n.t("doctor.backup.missing", lang, path=str(folder)),
                     i18n.t("doctor.fix.backup_dir", lang, path=str(folder)))
    try:
        with tempfile.NamedTemporaryFile(dir=folder, prefix=".doctor-"):
            pass
    except OSError as exc:
        return Check("backup_dir", FAIL, i18n.t("doctor.backup.unwritable", lang, path=str(folder),
                                                reason=exc.strerror or type(exc).__name__),
                     i18n.t("doctor.fix.backup_dir", lang, path=str(folder)))
    return Check("backup_dir", OK, i18n.t("doctor.backup.ok", lang, path=str(folder)))


def checks(lang: str, db=None, backup_dir: str | None = None, min_free_mb: int = MIN_FREE_MB,
           wait: float | None = None) -> list[Check]:
    folder = Path(backup_dir) if backup_dir else default_backup_dir(db)
    return [check_python(lang), check_packages(lang), check_chromium(lang), check_fonts(lang),
            check_store(lang, db, wait), check_disk(lang, db, min_free_mb), check_backup_dir(lang, folder)]


def run(args) -> int:
    found = checks(args.lang, args.db, args.backup_dir, args.min_free_mb, args.wait)
    ok = all(c.status != FAIL for c in found)
    mark = {OK: "✓", WARN: "!", FAIL: "✗"}
    lines = []
    for c in found:
        lines.append(f"{mark[c.status]} {i18n.t('doctor.name.' + c.name, args.lang)}: {c.message}")
        if c.fix:
            lines.append(f"    {i18n.t('doctor.fix', args.lang)}: {c.fix}")
    lines.append(i18n.t("doctor.all_ok" if ok else "doctor.some_failed", args.lang))
    emit(args, {"ok": ok, "checks": [asdict(c) for c in found]}, lines)
    return EXIT_OK if ok else EXIT_REJECTED
