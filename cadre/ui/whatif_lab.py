"""The what-if lab's controls as one component: it owns its widget keys
(prefix ``whatif_``), the slider callback that keeps weights summing to
100 %, and the sync between the controls, the session and the URL.

The one in-memory form of a scenario is ``cadre.whatif.Scenario``: the
controls are read into one (``current``) and written from one (``show``);
the URL carries ``Scenario.to_query`` and a saved scenario its JSON. The
domain module ``cadre.whatif`` knows nothing of widgets or sessions.
``write_state`` / ``read_state`` / ``on_weight_change`` take any mapping, so
tests and the bench drive them without Streamlit.
"""
from __future__ import annotations

from dataclasses import replace
from typing import Mapping, MutableMapping

import streamlit as st

from cadre import figures
from cadre.whatif.lab import Lab
from cadre.whatif.scenario import FLOOR_KEYS, PRESETS, Scenario, baseline, from_query, preset
from cadre.whatif.weights import UNITS, normalise_percent, rescale
from cadre.settings import DIMENSIONS, SOURCES

PREFIX = "whatif_"
DIM_KEYS = [f"{PREFIX}w_{i}" for i in range(4)]
SRC_KEYS = [f"{PREFIX}s_{i}" for i in range(4)]
FLOOR_STATE_KEYS = [f"{PREFIX}f_{i}" for i in range(3)]
COEF_KEYS = [f"{PREFIX}c_{i}" for i in range(4)]
QUOTA_KEY, POOL_KEY, KIND_KEY = f"{PREFIX}q", f"{PREFIX}pool", f"{PREFIX}kind"
LOCK_KEYS = {"w": f"{PREFIX}lock_w", "s": f"{PREFIX}lock_s"}
GROUP_KEYS = {"w": DIM_KEYS, "s": SRC_KEYS}
KEEP = {"persist_state": "session"}
# The server's last rescale of each weight group (its number and what it
# wrote), and the browser's copy of the latest number (a hidden widget): see
# on_weight_change.
RESCALED_KEY, ACK_KEY = f"_{PREFIX}rescaled", f"{PREFIX}ack"
_HALF_UNIT = 0.5 / UNITS    # weights are kept in hundredths of a point
# The acknowledgement widget is the browser's, not the user's: never shown.
_ACK_CSS = f"<style>.st-key-{ACK_KEY}_box {{ display: none; }}</style>"


# --------------------------------------------------------------------------- state <-> Scenario

def write_state(state: MutableMapping, spec: Scenario) -> None:
    """Put a scenario into the lab's controls."""
    for keys, values in ((DIM_KEYS, spec.dims), (SRC_KEYS, spec.sources),
                         (FLOOR_STATE_KEYS, spec.floors), (COEF_KEYS, spec.coefs)):
        for k, v in zip(keys, values):
            state[k] = float(v)
    state[QUOTA_KEY] = float(spec.quota)
    state[POOL_KEY] = float(spec.pool)
    state[KIND_KEY] = spec.kind
    state.pop(RESCALED_KEY, None)  # every weight written: no rescale is waiting for the browser


def read_state(state: Mapping, settings: dict, kind: str) -> Scenario:
    """The scenario the lab's controls show (missing controls: the settings')."""
    base = baseline(settings, kind)
    if state.get(KIND_KEY) != kind:
        return base

    def pick(keys, default):
        return tuple(float(state.get(k, d)) for k, d in zip(keys, default))

    dims = normalise_percent(pick(DIM_KEYS, base.dims)) or list(base.dims)
    srcs = normalise_percent(pick(SRC_KEYS, base.sources)) or list(base.sources)
    return replace(base, dims=tuple(dims), sources=tuple(srcs),
                   quota=float(state.get(QUOTA_KEY, base.quota)),
                   floors=pick(FLOOR_STATE_KEYS, base.floors),
                   pool=float(state.get(POOL_KEY, base.pool)), coefs=pick(COEF_KEYS, base.coefs))


def on_weight_change(state: MutableMapping, group: str, index: int) -> None:
    """Slider callback: weight ``index`` of ``group`` ('w' or 's') moved;
    rescale the unlocked others (locks in ``state[LOCK_KEYS[group]]``,
    as labels: dimensions or sources).

    The moved slider itself is written only when the locks clip it: any
    write to a widget's key, even of its own value, makes Streamlit send
    that value to the browser at the end of the run, undoing the keys
    pressed meanwhile (issue 20, item 4).

    Keys pressed quickly send runs before the browser has the others'
    rescaled values: those runs carry the others' values from before, which
    Streamlit reports as changes of theirs. The browser echoes the number of
    the last rescale it received (``ACK_KEY``, a hidden widget); a change of
    a slider the server rescaled since is such an echo, not a move: the
    rescaled values are put back and the moved slider is left alone."""
    keys = GROUP_KEYS[group]
    rescaled = dict(state.get(RESCALED_KEY) or {})  # {group: (number, {key: value written})}
    if group in rescaled:
        number, written = rescaled[group]
        if int(state.get(ACK_KEY) or 0) < number:   # the browser had not got it yet
            for k, v in written.items():
                state[k] = v
            state[ACK_KEY] = max(n for n, _ in rescaled.values())
        if keys[index] in written and abs(float(state[keys[index]]) - written[keys[index]]) < _HALF_UNIT:
            return  # the slider shows the server's own value: not a move
    names = DIMENSIONS if group == "w" else SOURCES
    locked = {names.index(x) for x in (state.get(LOCK_KEYS[group]) or []) if x in names}
    current = [float(state.get(k, 0.0)) for k in keys]
    new = rescale(current, index, current[index], locked)
    written = {k: v for i, (k, v) in enumerate(zip(keys, new))
               if i != index or abs(v - current[index]) >= _HALF_UNIT}  # clipped by the locks
    for k, v in written.items():
        state[k] = v
    number = max((n for n, _ in rescaled.values()), default=0) + 1
    rescaled[group] = (number, written)
    state[RESCALED_KEY] = rescaled
    state[ACK_KEY] = number


# --------------------------------------------------------------------------- the component

def start(ctx, lab: Lab) -> list[str]:
    """On the first visit (a shared link: the URL's scenario) or on a period
    of another kind (same weights, the new kind's quota and floors), fill
    the controls. Returns the URL keys ignored as malformed."""
    state = st.session_state
    if state.get(KIND_KEY) == lab.kind:
        return []
    if KIND_KEY in state:
        spec, bad = read_state(state, ctx.settings, state[KIND_KEY]).for_kind(lab.kind, ctx.settings), []
    else:
        spec, bad = from_query(st.query_params, lab.base_spec)
    write_state(state, spec)
    return bad


def current(ctx, lab: Lab) -> Scenario:
    """The scenario the controls show."""
    return read_state(st.session_state, ctx.settings, lab.kind)


def show(ctx, lab: Lab, spec: Scenario) -> None:
    """Set the controls to ``spec`` (on the lab's period kind); for a
    button's on_click, before the widgets are drawn."""
    write_state(st.session_state, spec.for_kind(lab.kind, ctx.settings))


def sync_url(spec: Scenario) -> None:
    """Keep the scenario in the URL, so a link reproduces it."""
    st.query_params.update(spec.to_query())


def presets(ctx, lab: Lab) -> None:
    with st.container(horizontal=True, vertical_alignment="center"):
        st.markdown(f"**{ctx.t('whatif.presets')}**")
        for name in PRESETS:
            st.button(ctx.t(f"whatif.preset.{name}"), key=f"{PREFIX}preset_{name}", icon=":material/tune:",
                      on_click=lambda n=name: show(ctx, lab, preset(n, ctx.settings, lab.kind,
                                                                            current(ctx, lab))))


def controls(ctx, lab: Lab, grade_labels: list[str]) -> None:
    """Weights (with locks), the quota and the grade floors."""
    for group, names, keys, title in (("w", DIMENSIONS, DIM_KEYS, "whatif.dims"),
                                      ("s", SOURCES, SRC_KEYS, "whatif.sources")):
        st.markdown(f"**{ctx.t(title)}**")
        for i, (name, key) in enumerate(zip(names, keys)):
            st.slider(ctx.v(name), 0.0, 100.0, step=1.0, format="%.1f%%", key=key,
                      on_change=on_weight_change, args=(st.session_state, group, i), **KEEP)
        st.pills(ctx.t("whatif.lock"), names, selection_mode="multi", key=LOCK_KEYS[group],
                 format_func=ctx.v, help=ctx.t("whatif.lock_help"), width="stretch", **KEEP)
    with st.container(key=f"{ACK_KEY}_box"):
        st.html(_ACK_CSS)
        st.number_input(ctx.t("whatif.ack"), min_value=0, step=1, key=ACK_KEY, label_visibility="collapsed",
                        **KEEP)
    with st.expander(ctx.t("whatif.grading"), expanded=not ctx.projector):
        st.slider(ctx.t("whatif.quota", grade=ctx.v(grade_labels[0])), 0.0, 100.0, step=1.0, format="%.0f%%",
                  key=QUOTA_KEY, **KEEP)
        for key, fk in zip(FLOOR_STATE_KEYS, FLOOR_KEYS[lab.kind]):
            st.slider(ctx.t(f"whatif.floor.{lab.kind}.{fk}"), 0.0, 100.0, step=0.5, key=key, **KEEP)


def bonus_inputs(ctx, grade_labels: list[str]) -> None:
    """The bonus pool and a coefficient per grade."""
    cols = st.columns(5)
    cols[0].number_input(figures.label("pool", ctx.lang), min_value=0.0, step=1000.0, key=POOL_KEY, **KEEP)
    for col, key, grade in zip(cols[1:], COEF_KEYS, grade_labels):
        col.number_input(ctx.t("whatif.coef", grade=ctx.v(grade)), min_value=0.0, step=0.1, key=key, **KEEP)
