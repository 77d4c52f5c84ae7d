"""Data page: every stored dataset as XLSX and as CSV (UTF-8 with BOM)."""
from __future__ import annotations

import streamlit as st

from cadre.export import datasets
from cadre.ui.context import Context

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def show(ctx: Context) -> None:
    st.subheader(ctx.t("lrmx.ui.downloads.title"))
    st.write(ctx.t("lrmx.ui.downloads.help"))
    cols = st.columns(len(datasets.DATASETS))
    for col, ds in zip(cols, datasets.DATASETS):
        name = ctx.t(f"ingest.dataset.{ds}")
        col.download_button(ctx.t("lrmx.ui.downloads.xlsx", dataset=name), key=f"data_dl_{ds}_xlsx",
                            data=lambda ds=ds: datasets.download(ctx.con, ds, "xlsx"),
                            file_name=f"{name}.xlsx", mime=XLSX, icon=":material/download:",
                            on_click="ignore")
        col.download_button(ctx.t("lrmx.ui.downloads.csv", dataset=name), key=f"data_dl_{ds}_csv",
                            data=lambda ds=ds: datasets.download(ctx.con, ds, "csv"),
                            file_name=f"{name}.csv", mime="text/csv", icon=":material/download:",
                            on_click="ignore")


def derived(ctx: Context, roster) -> None:
    """The people derived from 任免审批表 files, in the roster's upload format."""
    frame = datasets.table(roster, "roster")
    name = ctx.t("lrmx.ui.downloads.derived")
    left, right = st.columns(2)
    left.download_button(ctx.t("lrmx.ui.downloads.xlsx", dataset=name), key="data_dl_derived_xlsx",
                         data=lambda: datasets.to_xlsx(frame, "人员名册"), file_name=f"{name}.xlsx", mime=XLSX,
                         icon=":material/download:", on_click="ignore")
    right.download_button(ctx.t("lrmx.ui.downloads.csv", dataset=name), key="data_dl_derived_csv",
                          data=lambda: datasets.to_csv(frame), file_name=f"{name}.csv", mime="text/csv",
                          icon=":material/download:", on_click="ignore")
