"""Data page: review of rows derived from 任免审批表 files, and column
mapping of foreign spreadsheets, before anything is loaded."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from cadre import batches, i18n, intake, masking, store
from cadre.display import md_text
from cadre.ingest import columns as C
from cadre.ingest import mapping as M
from cadre.ingest.derive import DATE_COLUMNS, EDITABLE
from cadre.ui import downloads, upload
from cadre.ui.context import Context

REVIEW_KEY = "data_review"
PERSON_SUFFIXES = (".lrmx", ".lrm", ".pic", ".zip")
SHOWN = ["person_id", "name", "gender", "birth_date", "education", "education_mode", "political_status",
         "join_work_date", "section", "position", "rank", "rank_since", "post_since"]
UNSURE = "_unsure"
UNUSED = "_"


def handle_upload(ctx: Context, uploaded_files) -> None:
    """Load at once when nothing needs a look; else keep the files for review.
    A file over the upload limit is refused first, whatever its kind."""
    st.session_state.pop(REVIEW_KEY, None)
    if upload.too_large(ctx, uploaded_files):
        return
    files = [(f.name, f.getvalue()) for f in uploaded_files]
    if not any(n.lower().endswith(PERSON_SUFFIXES) for n, _ in files):
        upload.run_upload(ctx, uploaded_files)
        report = st.session_state.get(upload.REPORT_KEY) or {}
        if report.get("ok", True) or not any(M.needs_mapping(n, d) for n, d in files):
            return
    st.session_state.pop(upload.REPORT_KEY, None)
    st.session_state[REVIEW_KEY] = {"files": files, "office": None, "round": 0}


def _preview(ctx: Context, files, office):
    stored = store.query(ctx.con, "store_roster")
    return intake.read(ctx.con, ctx.settings, files, store_roster=stored, lang=ctx.lang, office=office)


def _unmapped(up) -> list[str]:
    return sorted({p.file for p in up.problems if p.code == "unrecognised"})


def show(ctx: Context) -> None:
    state = st.session_state.get(REVIEW_KEY)
    if not state:
        return
    files = state["files"]
    up = _preview(ctx, files, state["office"])
    with st.container(border=True, key="data_review_box"):
        st.subheader(ctx.t("lrmx.ui.review.title"))
        unmapped = _unmapped(up)
        for name in unmapped:
            _mapping_editor(ctx, name, dict(files)[name])
        d = up.derived
        if d is not None and len(d.roster):
            _office_input(ctx, state, d)
            edited = _roster_editor(ctx, d, state["round"])
            downloads.derived(ctx, d.roster)
            _gaps(ctx, up)
            _derived_tables(ctx, d)
        else:
            edited = None
            others = [p for p in up.problems if p.code != "unrecognised"]
            if others:
                upload._problem_table(ctx, upload.problems_frame(others, ctx.lang), "data_review_problems")
        left, right = st.columns([1, 1])
        if left.button(ctx.t("lrmx.ui.accept"), type="primary", key="data_review_accept",
                       icon=":material/check:", disabled=bool(unmapped)):
            if edited is not None:
                intake.save_corrections(ctx.con, d.roster, _from_editor(edited, mask=ctx.mask))
            _land(ctx, files, state["office"])
            st.session_state.pop(REVIEW_KEY, None)
            st.rerun()
        if right.button(ctx.t("lrmx.ui.cancel"), key="data_review_cancel", icon=":material/close:"):
            st.session_state.pop(REVIEW_KEY, None)
            st.rerun()


def _land(ctx: Context, files, office) -> None:
    try:
        result = batches.ingest(ctx.con, files, lang=ctx.lang, office=office, accept_derived=True, user=ctx.user)
    except store.StoreError as exc:  # the store is busy or unusable: say so, land nothing
        st.session_state[upload.REPORT_KEY] = {"busy": exc.message(ctx.lang)}
        return
    st.session_state[upload.REPORT_KEY] = {
        "already": result.already,
        "ok": result.ok, "batch_id": result.batch_id, "loaded": result.loaded,
        "problems": upload.problems_frame(result.upload.problems, ctx.lang),
        "notes": upload.problems_frame(result.upload.notes, ctx.lang),
    }  # cached results key on the data version, which the batch changed


# ------------------------------------------------------------ 任免审批表 review

def _office_input(ctx: Context, state: dict, d) -> None:
    st.caption(ctx.t(f"lrmx.ui.office.{d.office_source}", office=md_text(d.office)))   # read from the files
    with st.form("data_review_office", border=False):
        office = st.text_input(ctx.t("lrmx.ui.office.label"), value=d.office or "", key="data_review_office_name")
        if st.form_submit_button(ctx.t("lrmx.ui.office.apply"), icon=":material/refresh:"):
            state["office"] = office.strip() or None
            state["round"] += 1
            st.rerun()


def _roster_editor(ctx: Context, d, round_: int) -> pd.DataFrame:
    st.markdown(f"**{ctx.t('lrmx.ui.roster.title')}**")
    st.caption(ctx.t("lrmx.ui.roster.help"))
    frame = d.roster[SHOWN].copy()
    for c in DATE_COLUMNS:
        frame[c] = pd.to_datetime(frame[c]).dt.strftime("%Y-%m-%d")
    frame = frame.astype(object).where(frame.notna(), "")  # empty, never "None"
    unsure = d.unsure[SHOWN]
    label = {c: ctx.t(f"ingest.col.{c}") for c in SHOWN}
    frame.insert(0, UNSURE, [i18n.join((label[c] for c in SHOWN if row[c]), ctx.lang) for _, row in unsure.iterrows()])
    if ctx.mask:
        frame["name"] = masking.mask_series(frame["name"])
    ladder = list(ctx.settings.get("ladder") or [])
    from cadre import settings as S
    sel = {"gender": S.GENDERS, "education": S.EDUCATIONS, "education_mode": S.EDUCATION_MODES,
           "political_status": S.POLITICAL_STATUSES, "rank": ladder}
    config = {UNSURE: st.column_config.TextColumn(ctx.t("lrmx.ui.unsure"), disabled=True),
              "person_id": st.column_config.TextColumn(label["person_id"], disabled=True)}
    for c in SHOWN[1:]:
        if c in sel:  # text, not a selectbox: an empty selectbox cell would read "None"
            config[c] = st.column_config.TextColumn(label[c], help=i18n.join(sel[c], ctx.lang), validate=_choice(sel[c]))
        else:
            config[c] = st.column_config.TextColumn(label[c], disabled=(c == "name" and ctx.mask))
    styled = frame.style.apply(lambda _: _marks(unsure), axis=None)
    return st.data_editor(styled, column_config=config, hide_index=True, num_rows="fixed",
                          key=f"data_review_roster_{round_}", width="stretch")


def _choice(options) -> str:
    """A regular expression for the column's allowed words (or empty)."""
    import re
    return "^(" + "|".join(re.escape(o) for o in options) + ")?$"


def _marks(unsure: pd.DataFrame) -> pd.DataFrame:
    out = pd.DataFrame("", index=unsure.index, columns=[UNSURE] + list(unsure.columns))
    for c in unsure.columns:
        out.loc[unsure[c], c] = "background-color: #fde2a6; color: #5c3b00"
    out.loc[unsure.any(axis=1), UNSURE] = "color: #8a4b00; font-weight: 600"
    return out


def _from_editor(edited: pd.DataFrame, mask: bool) -> pd.DataFrame:
    out = edited.drop(columns=[UNSURE]).copy()
    if mask:
        out = out.drop(columns=["name"])
    return out[[c for c in out.columns if c == "person_id" or c in EDITABLE]]


def _gaps(ctx: Context, up) -> None:
    listed = [p for p in up.problems if p.code != "unrecognised"]
    if not listed:
        st.success(ctx.t("lrmx.ui.no_gaps"), icon=":material/check_circle:")
        return
    st.warning(ctx.t("lrmx.ui.gaps", n=len(listed)), icon=":material/warning:")
    frame = upload.problems_frame(listed, ctx.lang).drop(columns=["sheet"])
    frame = frame.rename(columns={"row": "line", "column": "tag"})
    frame["line"] = frame["line"].map(lambda v: "" if v is None or v != v else str(int(v)))
    frame = frame.astype(object).where(frame.notna(), "")
    shown = frame.rename(columns={c: ctx.t(f"lrmx.ui.col.{c}") for c in frame.columns})
    with st.container(key="data_review_gaps"):
        st.table(shown.head(500).set_index(shown.columns[0]))  # read as text, not a canvas


def _derived_tables(ctx: Context, d) -> None:
    with st.expander(ctx.t("lrmx.ui.movements", n=len(d.movements))):
        mv = d.movements.drop(columns=["seq"]).copy()
        mv["date"] = mv["date"].dt.strftime("%Y-%m-%d")
        mv = mv.astype(object).where(mv.notna(), "")
        st.dataframe(mv.rename(columns=lambda c: ctx.t(f"ingest.col.{c}") if c != "person_id" else ctx.t("ingest.col.person_id")),
                     hide_index=True, key="data_review_movements")
    with st.expander(ctx.t("lrmx.ui.grades", n=len(d.assessments))):
        g = d.assessments[["person_id", "period", "grade"]]
        st.dataframe(g.rename(columns=lambda c: ctx.t(f"ingest.col.{c}")), hide_index=True, key="data_review_grades")


# ------------------------------------------------------------ column mapping

def _mapping_editor(ctx: Context, name: str, data: bytes) -> None:
    hit = M.needs_mapping(name, data)
    if hit is None:
        return
    raw, h = hit
    headers = raw.head[h]
    st.markdown(f"**{ctx.t('lrmx.ui.mapping.title', file=md_text(name))}**")   # the uploader's file name
    st.caption(ctx.t("lrmx.ui.mapping.help"))
    key = f"data_map_{M.signature(headers)[:12]}"
    base = M.propose(headers)
    datasets = [f"{d}:{f}" for d, f in C.FORMS]
    pick = st.selectbox(ctx.t("lrmx.ui.mapping.dataset"), datasets, index=datasets.index(f"{base.dataset}:{base.form}"),
                        format_func=lambda k: ctx.t(f"ingest.dataset.{k.split(':')[0]}") + (
                            "" if k.endswith("wide") else ctx.t("lrmx.ui.mapping.long")), key=f"{key}_ds")
    ds, form = pick.split(":")
    m = base if (ds, form) == (base.dataset, base.form) else M.propose(headers, ds, form)
    body, _rows = raw.load_body(h)
    samples = {}
    for j, c in enumerate(headers):
        if c is not None and str(c).strip():
            vals = body[j].dropna().astype(str).head(3).tolist() if j in body.columns else []
            samples[str(c).strip()] = i18n.join(vals, ctx.lang)
    names = [c.name for c in C.columns(ds, form)]
    label = {n: f"{ctx.t('ingest.col.' + n)}（{n}）" for n in names}
    label[UNUSED] = ctx.t("lrmx.ui.mapping.unused")  # an empty selectbox cell would read "None"
    table = pd.DataFrame({"header": list(m.mapping), "column": [m.mapping[k] or UNUSED for k in m.mapping],
                          "sample": [samples.get(k, "") for k in m.mapping]})
    edited = st.data_editor(table, hide_index=True, num_rows="fixed", key=f"{key}_cols_{pick}", column_config={
        "header": st.column_config.TextColumn(ctx.t("lrmx.ui.mapping.header"), disabled=True),
        "column": st.column_config.SelectboxColumn(ctx.t("lrmx.ui.mapping.column"), options=[UNUSED] + names,
                                                   format_func=lambda n: label.get(n, n)),
        "sample": st.column_config.TextColumn(ctx.t("lrmx.ui.mapping.sample"), disabled=True)})
    m.mapping = {h_: (c if isinstance(c, str) and c in names else "") for h_, c in zip(edited["header"], edited["column"])}
    missing = M.missing_required(m)
    if missing:
        st.error(ctx.t("lrmx.ui.mapping.missing", columns=i18n.join((label[c] for c in missing), ctx.lang)), icon=":material/error:")
    unknown = M.unknown_values(body, m, headers, ctx.settings)
    if unknown:  # one table of every unknown word of every mapped enumeration
        st.markdown(ctx.t("lrmx.ui.mapping.values", column=i18n.join((label[c] for c in unknown), ctx.lang)))
        rows = [(label[c], c, w) for c, words in unknown.items() for w in words]
        vt = pd.DataFrame({"column": [r[0] for r in rows], "word": [r[2] for r in rows], "value": [""] * len(rows)})
        allowed = sorted({o for c in unknown for o in M.allowed_values(m, c, ctx.settings)})
        ve = st.data_editor(vt, hide_index=True, num_rows="fixed", key=f"{key}_vals", column_config={
            "column": st.column_config.TextColumn(ctx.t("lrmx.ui.mapping.of"), disabled=True),
            "word": st.column_config.TextColumn(ctx.t("lrmx.ui.mapping.word"), disabled=True),
            "value": st.column_config.TextColumn(ctx.t("lrmx.ui.mapping.value"), help=i18n.join(allowed, ctx.lang),
                                                 validate=_choice(allowed))})
        for (_lbl, col, word), value in zip(rows, ve["value"]):
            if isinstance(value, str) and value in M.allowed_values(m, col, ctx.settings):
                m.value_maps.setdefault(col, {})[word] = value
    st.markdown(ctx.t("lrmx.ui.mapping.preview"))
    st.dataframe(_mapped_preview(body, headers, m), hide_index=True, key=f"{key}_preview_{pick}")
    if st.button(ctx.t("lrmx.ui.mapping.save"), key=f"{key}_save", icon=":material/save:", disabled=bool(missing)):
        intake.save_mapping(ctx.con, m)
        st.rerun()


def _mapped_preview(body: pd.DataFrame, headers: list, m: M.Mapping) -> pd.DataFrame:
    out = {}
    zh = {c.name: c.zh for c in C.columns(m.dataset, m.form)}
    for j, c in enumerate(headers):
        target = m.mapping.get(str(c).strip() if c is not None else "", "")
        if not target or j not in body.columns:
            continue
        col = body[j].head(10).map(lambda v: "" if v is None or (isinstance(v, float) and v != v) else str(v))
        vm = m.value_maps.get(target)
        if vm:
            col = col.map(lambda v: vm.get(v, v))
        out[zh[target]] = col.tolist()
    return pd.DataFrame(out)
