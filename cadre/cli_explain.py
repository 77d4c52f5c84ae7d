"""``bash scripts/cadre explain``: why a person's composite (or a section's
mean) moved between two periods (cadre.explain).

``--json`` gives ``change``, ``contributions`` [{dimension, source, value,
score_effect, weight_effect, unknown_in}] summing to ``change``, and for a
person ``rank`` {from, to, passed_by, passed, entered_above, left_above}.
A person or period the store does not hold exits 1 with the reason.
"""
from __future__ import annotations

import sys

from cadre import figures, i18n
from cadre.cli_common import COMMAND, EXIT_OK, EXIT_REJECTED, emit, open_data


def register(command, h) -> None:
    """Add ``explain`` through ``command`` (a subcommand maker); ``h`` gives
    a help text in the user's language."""
    p = command("explain")
    who = p.add_mutually_exclusive_group(required=True)
    who.add_argument("--person", help=h("explain.person"))
    who.add_argument("--section", help=h("explain.section"))
    p.add_argument("--from", dest="period_from", required=True, metavar="P1", help=h("explain.from"))
    p.add_argument("--to", dest="period_to", required=True, metavar="P2", help=h("explain.to"))


def run(args) -> int:
    from cadre import explain
    con, settings = open_data(args)
    try:
        if args.person is not None:
            expl = explain.person_periods(con, settings, args.person, args.period_from, args.period_to)
        else:
            expl = explain.section_periods(con, settings, args.section, args.period_from, args.period_to)
    except explain.ExplainError as exc:
        text = i18n.t(exc.code, args.lang, **exc.params)
        if args.json:
            emit(args, {"error": text}, [])
        print(f"{COMMAND} explain: {text}", file=sys.stderr)
        return EXIT_REJECTED
    emit(args, expl.to_json(), lines(expl, args.lang))
    return EXIT_OK


def lines(expl, lang: str) -> list[str]:
    """The readable answer: the change, each cell's contribution, the rank."""
    def v(x):
        return i18n.value_label(x, lang)
    out = [i18n.t("explain.cli.change", lang, subject=expl.subject,
                  p_from=i18n.format_period(expl.label_from, lang), p_to=i18n.format_period(expl.label_to, lang),
                  before=figures.value("composite", expl.value_from, lang),
                  after=figures.value("composite", expl.value_to, lang),
                  change=figures.value("contribution", expl.change, lang))]
    for r in expl.cells.itertuples(index=False):
        note = "" if r.status == "both" else "  " + i18n.t(f"explain.unknown.{r.status}", lang, source=v(r.source),
                                                            p_from=expl.label_from, p_to=expl.label_to)
        out.append(f"  {v(r.dimension)} · {v(r.source)}  {figures.value('contribution', r.value, lang)}{note}")
    if expl.rank and expl.rank.get("from") is not None:
        out.append(i18n.t("explain.cli.rank", lang, before=expl.rank["from"], after=expl.rank["to"],
                          passed_by=i18n.join(expl.rank["passed_by"], lang) or "—",
                          passed=i18n.join(expl.rank["passed"], lang) or "—"))
    return out
