"""``bash scripts/cadre scores``: write the scores kept in the store again
under the settings in force (cadre.assessment.stored), and say how long it
took. Uploads, undos and settings saved on the settings page write them by
themselves, and a store upgraded from a version without them gets them when
first opened; this is to write them on demand and time the rewrite at an
office's scale.

``--json`` gives ``rows`` (person-periods scored), ``seconds`` and
``scores_key`` (the hash of the settings that shape them, see
docs/contract.md "Stored scores").
"""
from __future__ import annotations

import time

from cadre import i18n
from cadre.cli_common import EXIT_OK, connect, emit


def register(command, h) -> None:
    """Add ``scores`` through ``command`` (a subcommand maker)."""
    command("scores")


def run(args) -> int:
    from cadre import store
    from cadre.assessment import stored
    con = connect(args)
    settings = store.get_settings(con)
    started = time.perf_counter()
    rows = stored.rebuild(con, settings)
    seconds = round(time.perf_counter() - started, 2)
    emit(args, {"rows": rows, "seconds": seconds, "scores_key": stored.scores_key(settings)},
         [i18n.t("scores.cli.written", args.lang, rows=rows, seconds=f"{seconds:.2f}")])
    return EXIT_OK
