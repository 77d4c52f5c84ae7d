"""The command line's readable output: every command's plain-text lines,
built around one text-table function, every figure formatted through
``cadre.figures``. (``--json`` prints the services' dicts as they are.)

The pipeline page shows ``movement_lines`` as they are printed, so a
leader and a script read the same summary.
"""
from __future__ import annotations

from cadre import figures, i18n


def width(text: str) -> int:
    """Display width in a terminal: CJK characters take two columns."""
    return sum(2 if ord(ch) > 0x2E7F else 1 for ch in str(text))


def text_table(head: list[str], body: list[list[str]], rule: bool = True) -> list[str]:
    """Columns padded to their widest cell (CJK counted double), two spaces
    apart; a dashed rule under the header when ``rule``."""
    widths = [max(width(r[i]) for r in [head] + body) for i in range(len(head))]

    def line(cells):
        return "  ".join(c + " " * (w - width(c)) for c, w in zip(cells, widths)).rstrip()
    return [line(head)] + ([line(["-" * w for w in widths])] if rule else []) + [line(r) for r in body]


def _counts(values: dict, lang: str, key: str) -> str:
    """{name: n} as "name n, name n" (vocabulary in ``lang``); "—" when empty."""
    return ", ".join(f"{i18n.value_label(k, lang)} {figures.value(key, n, lang)}" for k, n in values.items()) or "—"


def _key_lines(summary: dict, lang: str, skip: tuple = ()) -> list[str]:
    """"  label: value" for each figure of a summary dict, in its order."""
    out = []
    for key, value in summary.items():
        if key in skip:
            continue
        shown = _counts(value, lang, key) if isinstance(value, dict) else figures.value(key, value, lang)
        out.append(f"  {figures.label(key, lang)}: {shown}")
    return out


# --------------------------------------------------------------------------- report

def report_lines(report: dict, lang: str) -> list[str]:
    """``report --period P``: the period's figures, the compared sections
    and turn-taking as tables."""
    def t(key, **p):
        return i18n.t(key, lang, **p)

    def f(key, x):
        return figures.value(key, x, lang)

    def v(x):
        return i18n.value_label(x, lang)

    yes, no = t("assessment.yes"), t("assessment.no")
    lines = [t("assessment.report.title", period=i18n.format_period(report["period"], lang)),
             t("assessment.report.summary", assessed=f("assessed", report["assessed"]), mean=f("mean", report["mean"]),
               median=f("median", report["median"]), std=f("std", report["std"])),
             t("assessment.report.grades") + "  " + "  ".join(
                 f"{v(g)} {n}" for g, n in report["grades"].items())]
    if report["official_grades"] is not None:
        lines.append(t("assessment.report.official") + "  " + "  ".join(
            f"{v(g)} {n}" for g, n in report["official_grades"].items()))
    else:
        lines.append(t("assessment.report.no_official"))
    lines.append("")
    keys = ["assessed", "mean", "median", "std", "iqr"]
    head = [t("col.section")] + [figures.label(k, lang) for k in keys] + [t("col.egalitarian")]
    body = [[v(s["section"])] + [f(k, s[k]) for k in keys] + [yes if s["egalitarian"] else no]
            for s in report["sections"]]
    lines += text_table(head, body)
    lines.append("")
    lines.append(t("assessment.report.turn_taking"))
    head = [t("col.section"), figures.label("index", lang), figures.label("awards", lang), t("col.flagged")]
    body = [[v(r["section"]), f("index", r["index"]), f("awards", r["awards"]), yes if r["flagged"] else no]
            for r in report["turn_taking"]]
    lines += text_table(head, body)
    return lines


# --------------------------------------------------------------------------- whatif

def whatif_lines(result: dict, lang: str) -> list[str]:
    """``whatif``: the weights and quota used, then everyone's composite,
    rank and grade beside the baseline's."""
    t = lambda key, **p: i18n.t(key, lang, **p)  # noqa: E731
    v = lambda x: i18n.value_label(x, lang)       # noqa: E731

    def shares(values: dict) -> str:
        return ", ".join(f"{v(k)} {figures.value('weight', x, lang)}" for k, x in values.items())

    lines = [t("whatif.cli.title", period=i18n.format_period(result["period"], lang)),
             "  " + t("whatif.cli.weights") + ": " + shares(result["weights"]),
             "  " + t("whatif.cli.sources") + ": " + shares(result["sources"]),
             "  " + t("whatif.cli.quota") + f": {figures.value('quota', result['quota'], lang)}"]
    head = [t("whatif.col.rank"), t("whatif.col.person_id"), t("whatif.col.name"), t("whatif.col.section"),
            figures.label("composite", lang), t("whatif.col.grade"), t("whatif.col.baseline_rank"),
            t("whatif.col.baseline_grade")]
    body = [[str(p["rank"]), str(p["person_id"]), str(p["name"] or ""), v(p["section"]),
             figures.value("composite", p["composite"], lang), v(p["grade"]), str(p["baseline_rank"]),
             v(p["baseline_grade"])]
            for p in result["people"]]
    return lines + text_table(head, body, rule=False)


# --------------------------------------------------------------------------- movements, structure

def movement_lines(summary: dict, lang: str = i18n.DEFAULT_LANGUAGE) -> list[str]:
    """``movements --year Y``: the year's summary, one figure a line (the
    pipeline page shows the same lines)."""
    return [i18n.t("cli.movements_title", lang, year=summary["year"])] + _key_lines(summary, lang, skip=("year",))


def structure_lines(result: dict, lang: str = i18n.DEFAULT_LANGUAGE) -> list[str]:
    """``structure [--date D]``: the structure at a date, one figure a line."""
    flat = {k: v for k, v in result.items() if k not in ("date", "middle_cadres")}
    middle = result.get("middle_cadres") or {}
    flat["middle_count"] = middle.get("count")
    flat["middle_mean_age"] = middle.get("mean_age")
    return [i18n.t("cli.structure_title", lang, date=result["date"])] + _key_lines(flat, lang)


# --------------------------------------------------------------------------- ingest

def problem_line(p: dict) -> str:
    """One problem of an upload: "[file sheet row column] message"."""
    where = " ".join(str(x) for x in (p.get("file"), p.get("sheet"), p.get("row"), p.get("column"))
                     if x not in (None, ""))
    return f"  [{where}] {p['message']}"


def rejected_lines(errors: list[dict], lang: str) -> list[str]:
    return [i18n.t("cli.rejected", lang, n=len(errors))] + [problem_line(e) for e in errors]


def loaded_lines(batch_id, loaded: dict, notes: list[dict], lang: str) -> list[str]:
    return ([i18n.t("cli.loaded", lang, batch=batch_id)]
            + [f"  {i18n.t('dataset.' + k, lang)}: {v}" for k, v in loaded.items()]
            + [problem_line(n) for n in notes])
