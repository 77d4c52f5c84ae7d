"""The appraisal meeting's widgets: start/resume, guides, grade bins, the
move card (one person, one target, one reason), ticks, close and files.

Every change goes straight to the store through ``cadre.appraisal.session``
(in button callbacks), so the page only ever shows what is saved.
Widget keys start with ``appraisal_``.

Figures are formatted by the registry (``cadre.figures``), tables drawn by
``widgets.table``, the stability bands cached by ``cached.run`` on the
page's settings, and data inside Markdown (alerts, captions) escaped by
``display.md_text``.
"""
from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
import streamlit as st

from cadre import figures, i18n, masking
from cadre.assessment.runner import list_periods
from cadre.access import can, user_label
from cadre.appraisal import exports, session
from cadre.display import md_text
from cadre.ui import audited, cached, widgets
from cadre.ui.context import Context

FLASH = "appraisal_flash"
UNMASKED = "appraisal_unmasked"
REASON_KEYS = [f"appraisal.reason.{i}" for i in range(1, 9)]


def load(ctx: Context) -> session.State | None:
    """The session of the frame's period as saved (None: not started)."""
    if session.get_session(ctx.con, ctx.period) is None:
        return None
    return session.state(ctx.con, ctx.settings, ctx.period, scorer=cached.scorer(ctx.con, ctx.settings, ctx.data_version),
                         stability=cached.run(ctx, "appraisal_stability", ctx.period))


def _flash(kind: str, text: str) -> None:
    st.session_state[FLASH] = (kind, text)


def show_flash() -> None:
    """The last action's message (it may carry data, so escaped). Drawn in a
    slot that is there on every run, message or not: an element that came
    and went above the tabs would move them, and the browser would reopen
    the first tab after a tick saved on the second (issue 20.8)."""
    kind, text = st.session_state.pop(FLASH, (None, None))
    with st.container(key="appraisal_flash_slot"):
        if kind == "error":
            st.error(md_text(text), icon=":material/error:")
        elif kind:
            st.success(md_text(text), icon=":material/check_circle:")


def _run(ctx: Context, fn, ok_key: str, **params) -> bool:
    try:
        fn()
    except session.AppraisalError as exc:
        _flash("error", exc.message(ctx.lang))
        return False
    _flash("ok", ctx.t(ok_key, **params))
    return True


def _start(ctx: Context) -> None:
    _run(ctx, lambda: session.start(ctx.con, ctx.settings, ctx.period, ctx.user), "appraisal.start.done")


def start_panel(ctx: Context) -> None:
    st.write(ctx.t("appraisal.start.intro", period=i18n.format_period(ctx.period, ctx.lang)))
    periods = list_periods(ctx.con)
    has_official = bool(periods.loc[periods["period"] == ctx.period, "has_official"].any())
    st.caption(ctx.t("appraisal.start.from_official" if has_official else "appraisal.start.from_computed"))
    st.button(ctx.t("appraisal.start.button"), type="primary", key="appraisal_start", icon=":material/gavel:",
              disabled=not can(ctx.user, "appraise"), on_click=_start, args=(ctx,))


def status_line(ctx: Context, s: session.State) -> None:
    info = s.session
    live = int((~s.moves["undone"] & (s.moves["kind"] == "grade")).sum())
    when = pd.Timestamp(info["started_at"]).strftime("%Y-%m-%d %H:%M")
    st.caption(ctx.t(f"appraisal.status_line.{info['status']}", started=when,
                     by=md_text(user_label(info["started_by"], ctx.lang)), moves=live,
                     batch="" if info["batch_id"] is None else int(info["batch_id"])))
    if info["status"] == "closed" and info["batch_undone"]:
        st.warning(ctx.t("appraisal.closed_undone"), icon=":material/undo:")
        st.button(ctx.t("appraisal.reopen"), key="appraisal_reopen", on_click=_start, args=(ctx,))


def _names(ctx: Context, people: pd.DataFrame) -> pd.Series:
    """Names as shown: masked when the frame masks, but for the one person unmasked."""
    names = people["name"].astype(object).where(people["name"].notna(), "")
    if not ctx.mask:
        return names
    masked = masking.mask_series(names)
    return masked.where(people["person_id"] != st.session_state.get(UNMASKED), names)


BIN_CSS = """
<style>
[class*="st-key-appraisal_bin_"] [data-testid="stText"], [class*="st-key-appraisal_bin_"] [data-testid="stText"] * {
  font-size: 22px !important; line-height: 1.5 !important; white-space: pre-wrap; color: #000 !important; }
</style>
"""


WARN_CSS = """
<style>
.st-key-appraisal_warnings { background: #fff8e1; border: 2px solid #b26a00; border-radius: 6px; padding: 6px 12px; }
.st-key-appraisal_warnings [data-testid="stText"], .st-key-appraisal_warnings [data-testid="stText"] * {
  white-space: pre-wrap; color: #5d3a00 !important; }
</style>
"""


def guides(ctx: Context, s: session.State) -> None:
    b, q, w = s.board, s.board.quota, s.board.warnings
    top = ctx.md(q["grade"])
    left, right = st.columns([1, 3], vertical_alignment="center")
    label, shown, definition = widgets.fig(ctx, "quota_places", q["limit"], grade=top,
                                           shown=figures.of("quota_places", q["top"], q["limit"], ctx.lang),
                                           help_params={"grade": top})
    left.metric(label, shown, help=definition)
    with right.container(key="appraisal_guides"):
        if q["ok"]:
            st.success(ctx.t("appraisal.guide.quota_ok", grade=top, top=q["top"], limit=q["limit"]),
                       icon=":material/check:")
        else:
            st.error(ctx.t("appraisal.guide.quota_over", grade=top, top=q["top"], limit=q["limit"]),
                     icon=":material/warning:")
        st.caption(ctx.t("assessment.quota_rule", n=q["n"], pct=figures.value("quota", q["share"], ctx.lang),
                         allowed=q["limit"]))       # the rounding, as the distribution page says it
        for sec in q["sections"]:
            if not sec["ok"]:
                st.error(ctx.t("appraisal.guide.section_over", section=ctx.md(sec["section"]), top=sec["top"],
                               limit=sec["limit"]), icon=":material/warning:")
        who = b.people.set_index("person_id")
        shown = _names(ctx, b.people).set_axis(b.people["person_id"])
        lines = []
        for key in ("below_floor", "turn_taking"):
            for item in w[key]:
                lines.append(ctx.t(f"appraisal.guide.{key}", name=shown.get(item["person_id"], ""),
                                   section=ctx.v(item["section"]),
                                   composite=figures.words("composite", who.loc[item["person_id"], "composite"],
                                                           ctx.lang),
                                   rank=item.get("section_rank", ""),
                                   floor=figures.value("grade_floor", q["floor"], ctx.lang)))
        for item in w["egalitarian"]:
            lines.append(ctx.t("appraisal.guide.egalitarian", section=ctx.v(item["section"]), grade=ctx.v(item["grade"]),
                               std=figures.words("std", item["std"], ctx.lang)))
        if lines:
            st.html(WARN_CSS)
            with st.container(key="appraisal_warnings"):
                st.text("\n".join("⚑ " + line for line in lines))   # names are data: plain text, never Markdown
        else:
            st.caption(ctx.t("appraisal.guide.no_warnings"))


def _short_history(people: pd.DataFrame, years: list) -> pd.Series:
    """Last years' grades as their first characters, newest first (优称称)."""
    out = pd.Series("", index=people.index, dtype=object)
    for p in years:
        col = people.get(f"grade_{p}")
        if col is not None:
            out = out + col.astype(object).where(col.notna(), "·").astype(str).str[:1]
    return out


def bins(ctx: Context, s: session.State) -> None:
    """The grade bins, one row per person (by rank). On the projector, side
    by side as large text (wider bins for those holding people). On a
    screen, one table per bin across the page's width, one under another:
    side by side, a bin is a third of a 1440 px page and its table of seven
    columns lost its last ones (issue 20.9); an empty bin is one line."""
    b = s.board
    people = b.people.assign(shown_name=_names(ctx, b.people).to_numpy())
    band = people["rank_min"].astype("Int64").astype(str) + "–" + people["rank_max"].astype("Int64").astype(str)
    people["band"] = band.where(people["rank_min"].notna(), "—")
    people["mark"] = np.where(people["moved"], "● " + people["start_grade"].map(ctx.v).astype(str), "")
    people["short"] = _short_history(people, b.history_years)
    counts = people["grade"].value_counts()
    if ctx.projector:
        st.html(BIN_CSS)
        places = st.columns([3 if counts.get(g, 0) else 1 for g in b.labels])   # room for a line per person
    else:
        places = [st.container() for _ in b.labels]
    for i, (place, g) in enumerate(zip(places, b.labels)):
        part = people[people["grade"] == g]
        with place.container(key=f"appraisal_bin_{i}"):
            if not len(part) and not ctx.projector:
                st.caption(ctx.t("appraisal.bin.empty_line", grade=ctx.md(g)))
                continue
            st.markdown(f"#### {ctx.md(g)} · {len(part)}")
            if not len(part):
                st.caption(ctx.t("appraisal.bin.empty"))
            elif ctx.projector:
                lines = (part["rank"].astype("Int64").astype(str) + ". " + part["shown_name"].astype(str) + "  "
                         + part["section"].map(ctx.v).astype(str) + "  "
                         + figures.cell_texts(part[["composite"]], ctx.lang)["composite"].astype(str) + "  "
                         + part["band"] + "  " + part["short"] + np.where(part["moved"], " ●", ""))
                with st.container(height=min(560, 60 + 38 * len(part)), border=False):
                    st.text("\n".join(lines.tolist()))
            else:
                frame = pd.DataFrame({
                    "office_rank": part["rank"], "name": part["shown_name"], "section": part["section"],
                    "composite": part["composite"], "appraisal_band": part["band"],
                    "appraisal_history": part["short"], "appraisal_moved": part["mark"]})
                # names are masked above as the page masks (one person may be unmasked)
                widgets.table(dataclasses.replace(ctx, mask=False), frame, key=f"appraisal_bin_{i}",
                              file_name=f"appraisal_{b.period}", value_columns=("section",), download=False,
                              height=min(460, 38 + 35 * len(part)))
    if ctx.projector:
        st.caption(ctx.t("appraisal.bin.legend"))


def _reason_input(ctx: Context, key: str) -> None:
    st.selectbox(ctx.t("appraisal.reason"), [ctx.t(k) for k in REASON_KEYS], index=None, key=key,
                 accept_new_options=True, placeholder=ctx.t("appraisal.reason.placeholder"))


def _unmask_reset() -> None:
    st.session_state[UNMASKED] = None
    st.session_state["appraisal_unmask_toggle"] = False


def _unmask_toggled() -> None:
    on = st.session_state.get("appraisal_unmask_toggle")
    st.session_state[UNMASKED] = st.session_state.get("appraisal_person") if on else None


def move_card(ctx: Context, s: session.State) -> None:
    """Pick a person, a target grade and a reason: one action moves them."""
    b = s.board
    people = b.people
    open_ = s.session["status"] == "open" and can(ctx.user, "appraise")
    names = dict(zip(people["person_id"], _names(ctx, people)))
    label = dict(zip(people["person_id"], people["rank"].astype("Int64").astype(str) + " · " + people["person_id"]
                     + " · " + people["section"].map(ctx.v).astype(str) + " · " + people["grade"].map(ctx.v)))
    with st.container(border=True, key="appraisal_move"):
        c1, c2 = st.columns([3, 2])
        pid = c1.selectbox(ctx.t("appraisal.move.person"), people["person_id"].tolist(), index=None,
                           key="appraisal_person", on_change=_unmask_reset,
                           format_func=lambda p: f"{names.get(p, '')} · {label.get(p, p)}",
                           placeholder=ctx.t("appraisal.move.person.placeholder"))
        if pid is None:
            return
        row = people[people["person_id"] == pid].iloc[0]
        if ctx.mask:
            c2.toggle(ctx.t("appraisal.unmask"), key="appraisal_unmask_toggle", on_change=_unmask_toggled)
        band = "—" if pd.isna(row["rank_min"]) else f"{int(row['rank_min'])}–{int(row['rank_max'])}"
        st.text(ctx.t("appraisal.card", name=names.get(pid, ""), section=ctx.v(row["section"]),
                      composite=figures.words("composite", row["composite"], ctx.lang), rank=int(row["rank"]),
                      grade=ctx.v(row["grade"]), start=ctx.v(row["start_grade"]), band=band,
                      history=row["history"] or "—"))
        if not open_:
            return
        st.segmented_control(ctx.t("appraisal.move.to"), [g for g in b.labels if g != row["grade"]],
                             key="appraisal_to", format_func=ctx.v)
        _reason_input(ctx, "appraisal_reason")
        b1, b2 = st.columns(2)
        b1.button(ctx.t("appraisal.move.button"), type="primary", key="appraisal_do_move", icon=":material/swap_horiz:",
                  on_click=_do_move, args=(ctx, pid), width="stretch")
        b2.button(ctx.t("appraisal.undo"), key="appraisal_undo", icon=":material/undo:", on_click=_do_undo,
                  args=(ctx,), width="stretch", disabled=not bool((~s.moves["undone"]).any()) if len(s.moves) else True)


def _do_move(ctx: Context, pid: str) -> None:
    to = st.session_state.get("appraisal_to")
    if not to:
        _flash("error", ctx.t("appraisal.move.pick_grade"))
        return
    reason = st.session_state.get("appraisal_reason")
    holder = {}

    def act():
        holder["m"] = session.move(ctx.con, ctx.settings, ctx.period, pid, to, reason, ctx.user,
                                   scorer=cached.scorer(ctx.con, ctx.settings, ctx.data_version))

    if _run(ctx, act, "appraisal.move.done", grade=ctx.v(to)):
        if holder["m"]["breaks_quota"]:
            _flash("error", ctx.t("appraisal.move.done_breaks", grade=ctx.v(to)))
        st.session_state["appraisal_reason"] = None
        st.session_state["appraisal_to"] = None
        _refresh_picker()


def _do_undo(ctx: Context) -> None:
    if _run(ctx, lambda: session.undo(ctx.con, ctx.period, ctx.user), "appraisal.undo.done"):
        _refresh_picker()


def _refresh_picker() -> None:
    """The person picker shows its choice as the label it had when chosen
    (the browser keeps that text), and the label holds the grade: setting
    the same choice again makes the next run send the new label (issue 20.10)."""
    st.session_state["appraisal_person"] = st.session_state.get("appraisal_person")


FAILS = ("top", "record", "section_share", "places", "egalitarian", "top_n")


def _fails(ctx: Context, values: pd.Series) -> pd.Series:
    return values.map({k: ctx.t(f"appraisal.fails.{k}") for k in FAILS}).fillna("")


def _tick(ctx: Context, values: pd.Series) -> pd.Series:
    return values.map({k: ctx.t(f"appraisal.tick.{k}") for k in ("on", "off")}).fillna("")


def commend_tables(ctx: Context, s: session.State) -> None:
    rules = ctx.settings["commend_individuals"]
    st.subheader(ctx.t("appraisal.commend.individuals"))
    st.caption(ctx.t("appraisal.commend.rules", years=rules["clean_years"],
                     share=figures.value("section_share", rules["section_share"], ctx.lang), places=rules["places"]))
    ind = s.individuals
    in_play = ind[(ind["grade"] == s.board.top) | ind["tick"].notna()]
    yes = {True: "✓", False: ""}
    period = s.board.period
    widgets.table(ctx, pd.DataFrame({
        "appraisal_place": in_play["place"].astype("Int64"), "name": in_play["name"],
        "section": in_play["section"], "composite": in_play["composite"], "grade": in_play["grade"],
        "appraisal_fails": _fails(ctx, in_play["fails"]), "appraisal_tick": _tick(ctx, in_play["tick"]),
        "appraisal_commended": in_play["commended"].map(yes)}), key="appraisal_ind",
        file_name=f"appraisal_{period}_individuals", value_columns=("section", "grade"))
    weights = ctx.settings["commend_section_weights"]
    st.subheader(ctx.t("appraisal.commend.sections"))
    weight = {k: figures.value("weight", weights[k], ctx.lang) for k in ("mean", "top_share", "improvement")}
    st.caption(ctx.t("appraisal.commend.section_rules", mean=weight["mean"], top=weight["top_share"],
                     improvement=weight["improvement"], n=ctx.settings["commend_sections_top"]))
    sec = s.sections
    widgets.table(ctx, pd.DataFrame({
        "appraisal_place": sec["place"], "section": sec["section"], "assessed": sec["n"], "mean": sec["mean"],
        "top_share": sec["top_share"], "improvement": sec["improvement"], "commend_score": sec["score"],
        "appraisal_fails": _fails(ctx, sec["fails"]), "appraisal_tick": _tick(ctx, sec["tick"]),
        "appraisal_commended": sec["commended"].map(yes)}), key="appraisal_sec",
        file_name=f"appraisal_{period}_sections", value_columns=("section",))


def tick_card(ctx: Context, s: session.State) -> None:
    if s.session["status"] != "open" or not can(ctx.user, "appraise"):
        return
    with st.container(border=True, key="appraisal_tick"):
        kind = st.segmented_control(ctx.t("appraisal.tick.kind"), ["individual", "section"], key="appraisal_tick_kind",
                                    format_func=lambda k: ctx.t(f"appraisal.kind.{k}"), default="individual")
        if kind == "section":
            options, fmt = s.sections["section"].tolist(), ctx.v
        else:
            ind = s.individuals
            shown = dict(zip(ind["person_id"], _names(ctx, ind) + " · " + ind["person_id"]))
            options, fmt = ind["person_id"].tolist(), (lambda p: shown.get(p, p))
        st.selectbox(ctx.t("appraisal.tick.subject"), options, index=None, key="appraisal_tick_subject", format_func=fmt,
                     placeholder=ctx.t("appraisal.move.person.placeholder"))
        st.segmented_control(ctx.t("appraisal.tick.state"), ["on", "off"], key="appraisal_tick_on",
                             format_func=lambda v: ctx.t(f"appraisal.tick.{v}"))
        _reason_input(ctx, "appraisal_tick_reason")
        st.button(ctx.t("appraisal.tick.button"), key="appraisal_do_tick", on_click=_do_tick, args=(ctx,))


def _do_tick(ctx: Context) -> None:
    subject, on = st.session_state.get("appraisal_tick_subject"), st.session_state.get("appraisal_tick_on")
    if not subject or not on:
        _flash("error", ctx.t("appraisal.tick.pick"))
        return
    kind = st.session_state.get("appraisal_tick_kind") or "individual"
    reason = st.session_state.get("appraisal_tick_reason")
    if _run(ctx, lambda: session.commend(ctx.con, ctx.settings, ctx.period, kind, subject, on == "on", reason, ctx.user,
                                         scorer=cached.scorer(ctx.con, ctx.settings, ctx.data_version)),
            "appraisal.tick.done"):
        st.session_state["appraisal_tick_reason"] = None


def close_card(ctx: Context, s: session.State) -> None:
    if s.session["status"] != "open":
        return
    if not can(ctx.user, "close_appraisal"):
        st.caption(ctx.t("appraisal.close.not_allowed"))
        return
    start, end = session.default_notice()
    with st.container(border=True, key="appraisal_close"):
        st.write(ctx.t("appraisal.close.intro"))
        c1, c2 = st.columns(2)
        c1.date_input(ctx.t("appraisal.close.from"), value=start, key="appraisal_notice_from")
        c2.date_input(ctx.t("appraisal.close.to"), value=end, key="appraisal_notice_to")
        st.button(ctx.t("appraisal.close.button"), type="primary", key="appraisal_do_close", icon=":material/done_all:",
                  on_click=_do_close, args=(ctx,))


def _do_close(ctx: Context) -> None:
    a, b = st.session_state.get("appraisal_notice_from"), st.session_state.get("appraisal_notice_to")
    holder = {}

    def act():
        holder["batch"] = session.close(ctx.con, ctx.settings, ctx.period, ctx.user, a, b,
                                        scorer=cached.scorer(ctx.con, ctx.settings, ctx.data_version))

    if _run(ctx, act, "appraisal.close.done"):   # the new batch is a new data version: caches follow by key
        _flash("ok", ctx.t("appraisal.close.done", batch=holder["batch"]))


def downloads(ctx: Context, s: session.State) -> None:
    """The 公示 (XLSX, PDF) and the meeting record (XLSX), masked as the frame masks."""
    if not can(ctx.user, "export"):
        return
    st.caption(ctx.t("appraisal.files.masked" if ctx.mask else "appraisal.files.unmasked"))
    c1, c2, c3 = st.columns(3)
    period = s.board.period
    name = f"appraisal_{period}"

    def logged(file_name: str, what: str, make):
        """The file made when clicked, with one audit entry (names leave the store)."""
        return audited.deferred(ctx, "export", {"file": file_name, "period": period, "what": what,
                                                "masked": ctx.mask}, make)

    c1.download_button(ctx.t("appraisal.files.notice_xlsx"), key="appraisal_dl_notice_xlsx", icon=":material/download:",
                       data=logged(f"{name}_notice.xlsx", "notice", lambda: exports.notice_xlsx(ctx.settings, s, ctx.lang, ctx.mask)),
                       file_name=f"{name}_notice.xlsx", mime=exports.XLSX_MIME, on_click="ignore")
    c2.download_button(ctx.t("appraisal.files.notice_pdf"), key="appraisal_dl_notice_pdf", icon=":material/picture_as_pdf:",
                       data=logged(f"{name}_notice.pdf", "notice", lambda: exports.notice_pdf(ctx.settings, s, ctx.lang, ctx.mask)),
                       file_name=f"{name}_notice.pdf", mime="application/pdf", on_click="ignore")
    c3.download_button(ctx.t("appraisal.files.record_xlsx"), key="appraisal_dl_record", icon=":material/download:",
                       data=logged(f"{name}_record.xlsx", "record", lambda: exports.record_xlsx(s, ctx.lang, ctx.mask)),
                       file_name=f"{name}_record.xlsx", mime=exports.XLSX_MIME, on_click="ignore")


def record(ctx: Context, s: session.State) -> None:
    period = s.board.period
    if not len(s.moves):
        st.caption(ctx.t("appraisal.record.empty"))
    else:   # names masked by the record as the page masks; its file is the record download above
        widgets.table(ctx, exports.record_frame(s, ctx.lang, ctx.mask),
                      key="appraisal_record", file_name=f"appraisal_{period}_record", download=False)
    # counts and verdicts share columns (the check's last rows are words): shown as text
    widgets.table(ctx, exports.quota_frame(s, ctx.lang).astype(str), key="appraisal_quota",
                  file_name=f"appraisal_{period}_quota", download=False)

