"""The reason a recorded decision carries (a grade moved at the appraisal
meeting, a recommendation for a post): required, its whitespace folded, at
most ``MAX`` characters. Each caller says a problem in its own catalogue."""
from __future__ import annotations

MAX = 500


def check(text) -> tuple[str, str | None]:
    """(the reason with its whitespace folded, its problem: ``reason_required``,
    ``reason_long`` or None)."""
    reason = " ".join(str(text or "").split())
    if not reason:
        return reason, "reason_required"
    if len(reason) > MAX:
        return reason, "reason_long"
    return reason, None
