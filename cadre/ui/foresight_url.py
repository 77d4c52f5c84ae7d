"""The projection page's comparison kept in the URL (``?fs=…&fy=…&fb=…``),
so a link shares it: read once per session, written back after a change.
The parsing is ``cadre.foresight.scenarios`` (pure)."""
from __future__ import annotations

import streamlit as st

from cadre.foresight import scenarios

KEY = "projection_state"


def state() -> dict:
    """The comparison: from the URL on the first run of the session, then from memory."""
    if KEY not in st.session_state:
        st.session_state[KEY] = scenarios.from_params(dict(st.query_params))
    return dict(st.session_state[KEY])


def save(value: dict) -> None:
    st.session_state[KEY] = dict(value)
    for k, v in scenarios.to_params(value).items():
        if st.query_params.get(k) != v:
            st.query_params[k] = v
