"""Language catalogues.

Every user-facing string comes from ``cadre/locales/<lang>/*.json``. Each
module owns its own catalogue file (``ingest.json``, ``pages.json`` …); the
files of one language are merged, and a key defined twice is an error.
Keys are dotted names, values are ``str.format`` templates.
"""
from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

LANGUAGES = ("zh", "en")
DEFAULT_LANGUAGE = "zh"
LOCALES_DIR = Path(__file__).parent / "locales"


@lru_cache(maxsize=None)
def catalogue(lang: str) -> dict[str, str]:
    if lang not in LANGUAGES:
        raise ValueError(f"unknown language {lang!r}")
    merged: dict[str, str] = {}
    for path in sorted((LOCALES_DIR / lang).glob("*.json")):
        for key, value in json.loads(path.read_text(encoding="utf-8")).items():
            if key in merged:
                raise ValueError(f"key {key!r} defined twice ({path.name})")
            merged[key] = value
    return merged


def t(key: str, lang: str = DEFAULT_LANGUAGE, **params) -> str:
    """The string for ``key`` in ``lang``, formatted with ``params``.

    A key missing in the catalogue raises KeyError: tests check that both
    catalogues hold every key, so a miss is a bug, not a fallback case.
    """
    template = catalogue(lang)[key]
    return template.format(**params) if params else template


def value_label(value, lang: str = DEFAULT_LANGUAGE) -> str:
    """A stored (Chinese) vocabulary value shown in ``lang``.

    Stored values (grades, sources, ranks, kinds…) are the contract's Chinese
    words; in English they are shown through ``value.<word>`` keys, and words
    the catalogue does not know (section names, free text) pass through.
    """
    if value is None:
        return ""
    text = str(value)
    if lang == DEFAULT_LANGUAGE:
        return text
    return catalogue(lang).get(f"value.{text}", text)


def join(items, lang: str = DEFAULT_LANGUAGE) -> str:
    """``items`` (strings) as a list in ``lang``: 「甲、乙」 / "A, B"."""
    return t("list.sep", lang).join(str(i) for i in items)


def format_number(x, lang: str = DEFAULT_LANGUAGE, digits: int = 1) -> str:
    if x is None:
        return "—"
    try:
        if x != x:  # NaN
            return "—"
    except TypeError:
        return str(x)
    return f"{x:,.{digits}f}"


def format_date(d, lang: str = DEFAULT_LANGUAGE) -> str:
    if d is None:
        return "—"
    if lang == "zh":
        return f"{d.year}年{d.month}月{d.day}日"
    return d.strftime("%d %b %Y")


def format_period(period: str, lang: str = DEFAULT_LANGUAGE) -> str:
    """'1999' -> '1999年度' / '1999'; '1999Q3' -> '1999年第三季度' / '1999 Q3'."""
    if "Q" not in period:
        return f"{period}年度" if lang == "zh" else period
    year, q = period.split("Q")
    if lang == "zh":
        return f"{year}年第{'一二三四'[int(q) - 1]}季度"
    return f"{year} Q{q}"
