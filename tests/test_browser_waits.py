"""Every wait on a predicate in the browser tests and benches polls on a
timer. Playwright's default for ``wait_for_function`` runs the predicate on
animation frames; a headless Chromium under load can stop giving frames to
a page whose DOM goes on changing, and a wait then times out with the
awaited state on screen (issue 20, item 7: the pipeline page's metrics had
changed, the predicate was never run again)."""
from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def waits_without_polling(files) -> list[str]:
    out = []
    for path in files:
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                    and node.func.attr == "wait_for_function"
                    and not any(k.arg == "polling" for k in node.keywords)):
                out.append(f"{path.relative_to(ROOT).as_posix() if path.is_relative_to(ROOT) else path}:{node.lineno}")
    return out


def test_every_wait_for_a_predicate_polls_on_a_timer():
    files = [p for d in ("tests", "bench") for p in sorted((ROOT / d).rglob("*.py"))]
    assert waits_without_polling(files) == []


def test_the_check_sees_a_wait_on_animation_frames(tmp_path):
    bad = tmp_path / "bad.py"
    bad.write_text("page.wait_for_function('() => true', timeout=5)\n"
                   "page.wait_for_function('() => true', polling=100)\n", encoding="utf-8")
    assert [w.rsplit(":", 1)[1] for w in waits_without_polling([bad])] == ["1"]
