"""Cached reads for pages: results keyed by the data version, the
connection passed as ``_con`` so it is never hashed."""
from __future__ import annotations

import streamlit as st

from cadre import overview


@st.cache_data(show_spinner=False, max_entries=64)
def headline(_con, period: str, data_version: str) -> dict | None:
    return overview.headline(_con, period)
