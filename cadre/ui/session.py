"""Who is asking: the one function pages call for the current user."""
from __future__ import annotations

import streamlit as st

from cadre.access import LOCAL_ADMIN, User


def current_user() -> User:
    """The signed-in user; without login, the local administrator."""
    return st.session_state.get("cadre_user", LOCAL_ADMIN)
