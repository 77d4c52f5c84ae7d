"""The data page's backup download, for those who may take one."""
from __future__ import annotations

import datetime as dt

import streamlit as st

from cadre import backup
from cadre.access import can
from cadre.ui.context import Context


def render(ctx: Context) -> None:
    """A backup of the whole store as one file (admins only; built on click)."""
    if not can(ctx.user, "backup"):
        return
    st.subheader(ctx.t("backup.title"))
    st.write(ctx.t("backup.help"))
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M")
    st.download_button(ctx.t("backup.download"), data=lambda: backup.to_bytes(ctx.con),
                       file_name=f"{ctx.t('backup.file')}-{stamp}.zip", mime="application/zip",
                       key="data_backup", icon=":material/backup:", on_click="ignore")
