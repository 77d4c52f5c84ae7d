"""The settings page's editors: one form per group of settings (what
``cadre.settings_form.GROUPS`` lists), a save button and a "restore
defaults" button per group. Saving validates, stores with
``assessment.stored.save_settings`` (the scores with them, a progress bar
while they are rewritten) and reruns.

Widget keys carry a fingerprint of the stored values, so an editor starts
afresh from what is stored after every save or restore.
"""
from __future__ import annotations

import hashlib
import json

import streamlit as st

from cadre import settings as settings_mod
from cadre import settings_form as form
from cadre import store
from cadre.assessment import stored as stored_scores
from cadre.ui.context import Context

FLASH_KEY = "settings_flash"


def _fingerprint(values: dict) -> str:
    return hashlib.sha1(json.dumps(values, sort_keys=True, ensure_ascii=False).encode()).hexdigest()[:8]


def _label(ctx: Context, key: str) -> str:
    return form.field_label(key, ctx.lang)


def _help(ctx: Context, key: str) -> str | None:
    from cadre import i18n
    return i18n.catalogue(ctx.lang).get(f"settings_page.help.{key}")


def _number(ctx: Context, label_key: str, value, key: str, integer=False, step=0.01):
    if integer:
        return int(st.number_input(_label(ctx, label_key), value=int(value), step=1, key=key,
                                   help=_help(ctx, label_key)))
    return float(st.number_input(_label(ctx, label_key), value=float(value), step=float(step),
                                 format="%.2f" if step < 0.1 else "%.1f", key=key, help=_help(ctx, label_key)))


def _mapping(ctx: Context, f: form.Field, values: dict, key: str, label_key: str | None = None):
    keys = list(f.keys) or list(values.keys())
    frame = form.mapping_frame(values, keys, [ctx.v(k) for k in keys])
    st.markdown(f"**{_label(ctx, label_key or f.key)}**")
    edited = st.data_editor(
        frame, key=key, hide_index=True, disabled=["label"], num_rows="fixed",
        column_config={"label": st.column_config.TextColumn(ctx.t("settings_page.col.item")),
                       "value": st.column_config.NumberColumn(ctx.t("settings_page.col.value"),
                                                              step=1 if f.integer else 0.01,
                                                              format="%d" if f.integer else "%.2f")})
    return form.mapping_from_frame(edited, keys, integer=f.integer)


def _field(ctx: Context, f: form.Field, current: dict, suffix: str):
    key = f"settings_{f.key}_{suffix}"
    value = current[f.key]
    if f.kind == "text":
        return st.text_input(_label(ctx, f.key), value=str(value), key=key, help=_help(ctx, f.key)).strip()
    if f.kind == "number":
        return _number(ctx, f.key, value, key, f.integer, f.step)
    if f.kind == "list":
        st.markdown(f"**{_label(ctx, f.key)}**")
        edited = st.data_editor(form.list_frame(value), key=key, hide_index=True, num_rows="dynamic",
                                column_config={"value": st.column_config.TextColumn(ctx.t("settings_page.col.item"))})
        return form.list_from_frame(edited)
    if f.kind == "mapping":
        return _mapping(ctx, f, value, key)
    if f.kind == "record":
        st.markdown(f"**{_label(ctx, f.key)}**")
        cols = st.columns(len(value))
        out = {}
        for col, (name, v) in zip(cols, value.items()):
            with col:
                out[name] = _number(ctx, f"{f.key}.{name}", v, f"{key}_{name}", step=0.01 if v <= 1 else 1.0)
        return out
    if f.kind == "rules":
        return _rules(ctx, value, current["ladder"], key)
    if f.kind == "flag":
        return bool(st.checkbox(_label(ctx, f.key), value=bool(value), key=key, help=_help(ctx, f.key)))
    if f.kind == "places":  # 职数 per rank of the ladder; 0 (or a rank not listed): no limit
        places = _mapping(ctx, form.Field(f.key, "mapping", integer=True, keys=tuple(current["ladder"])), value, key)
        return {rank: n for rank, n in places.items() if n}
    if f.kind == "bonus":
        pool = _number(ctx, "bonus.pool", value["pool"], f"{key}_pool", step=1000.0)
        coef = _mapping(ctx, form.Field("coefficients", "mapping", keys=tuple(settings_mod.ANNUAL_GRADES)),
                        value["coefficients"], f"{key}_coef", label_key="bonus.coefficients")
        return {"pool": pool, "coefficients": coef}
    raise ValueError(f"unknown field kind {f.kind!r}")


def _rules(ctx: Context, rules: dict, ladder: list[str], key: str) -> dict:
    st.markdown(f"**{_label(ctx, 'promotion_rules')}**")
    st.caption(ctx.t("settings_page.help.promotion_rules"))
    cfg = st.column_config
    c = {name: _label(ctx, f"rule.{name}") for name in form.RULE_COLUMNS}
    edited = st.data_editor(
        form.rules_frame(rules, ladder), key=key, hide_index=True, num_rows="fixed", disabled=["rank"],
        column_config={
            "rank": cfg.TextColumn(ctx.t("settings_page.col.step")),
            "min_years_in_rank": cfg.NumberColumn(c["min_years_in_rank"], min_value=0, step=0.5),
            "min_years_service": cfg.NumberColumn(c["min_years_service"], min_value=0, step=0.5),
            "grade_years": cfg.NumberColumn(c["grade_years"], min_value=0, max_value=10, step=1),
            "no_basic_in_years": cfg.CheckboxColumn(c["no_basic_in_years"]),
            "min_excellent": cfg.NumberColumn(c["min_excellent"], min_value=0, step=1),
            "education_floor": cfg.SelectboxColumn(c["education_floor"], options=settings_mod.EDUCATIONS,
                                                   required=True),
        })
    return form.rules_from_frame(edited)


def render_preset(ctx: Context) -> None:
    """The rank rules preset picker (设置 › 晋升规则): switch, then edit as usual."""
    from cadre import audit
    from cadre.foresight import rules
    current = ctx.settings   # read by the frame at the start of this run; a save reruns the page
    name = current.get("rank_preset", "demo")
    st.markdown(f"**{ctx.t('foresight.settings.preset')}**")
    st.caption(ctx.t("foresight.settings.in_force", preset=ctx.t(f"foresight.preset.{name}"),
                     edited=ctx.t("foresight.settings.edited") if rules.edited(current) else ""))
    left, right = st.columns([3, 1], vertical_alignment="bottom")
    picked = left.selectbox(ctx.t("foresight.settings.preset"), list(rules.PRESETS), index=list(rules.PRESETS).index(name)
                            if name in rules.PRESETS else 0, format_func=lambda n: ctx.t(f"foresight.preset.{n}"),
                            key="settings_rank_preset", help=ctx.t("foresight.settings.preset.help"),
                            label_visibility="collapsed")
    if right.button(ctx.t("foresight.settings.use"), key="settings_rank_preset_use", icon=":material/swap_horiz:"):
        values = rules.use(ctx.con, picked)
        changed = {k: {"from": current.get(k), "to": v} for k, v in values.items() if current.get(k) != v}
        if changed:
            audit.record(ctx.con, ctx.user, "settings_change", {"group": "preset", "changed": changed})
        st.session_state[FLASH_KEY] = ("promotion", "foresight.settings.switched")
        st.rerun()


def render_group(ctx: Context, group: str) -> None:
    """One group's editors in a form, with save and restore-defaults."""
    current = ctx.settings   # read by the frame at the start of this run; a save reruns the page
    keys = form.group_keys(group)
    suffix = _fingerprint({k: current[k] for k in keys} | {"ladder": current["ladder"]})
    flash = st.session_state.get(FLASH_KEY)
    if flash and flash[0] == group:
        st.success(ctx.t(flash[1]), icon=":material/check_circle:")
        del st.session_state[FLASH_KEY]
    with st.form(f"settings_form_{group}", border=True):
        values = {f.key: _field(ctx, f, current, suffix) for f in form.GROUPS[group]}
        saved = st.form_submit_button(ctx.t("settings_page.save"), type="primary", icon=":material/save:")
    if saved:
        values = form.prepare(values, current)
        problems = form.validate(values, current)
        if problems:
            for problem in problems:
                st.error(form.describe(problem, ctx.lang), icon=":material/error:")
        else:
            _store(ctx, values, group, "settings_page.saved")
    if st.button(ctx.t("settings_page.restore"), key=f"settings_restore_{group}", icon=":material/restart_alt:",
                 help=ctx.t("settings_page.restore.help")):
        values = form.prepare(form.defaults_for(group), current)
        _store(ctx, values, group, "settings_page.restored")


def _store(ctx: Context, values: dict, group: str, message_key: str) -> None:
    from cadre import audit
    before = store.get_settings(ctx.con)
    slot = st.empty()

    def progress(fraction: float) -> None:
        slot.progress(min(max(float(fraction), 0.0), 1.0), text=ctx.t("settings_page.scoring"))

    # saved with the scores they shape (rewritten when weights, maxima or
    # grade rules change); cached results key on the settings' hash
    stored_scores.save_settings(ctx.con, values, progress=progress)
    slot.empty()
    changed = {k: {"from": before.get(k), "to": v} for k, v in values.items() if before.get(k) != v}
    if changed:
        audit.record(ctx.con, ctx.user, "settings_change", {"group": group, "changed": changed})
    st.session_state[FLASH_KEY] = (group, message_key)
    st.rerun()
