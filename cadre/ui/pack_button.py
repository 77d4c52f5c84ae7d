"""The review pack's build-and-download buttons (PPTX and PDF)."""
from __future__ import annotations

import streamlit as st

from cadre import i18n
from cadre.access import can
from cadre.export import pack
from cadre.ui import audited
from cadre.ui.context import Context

STATE_KEY = "_pack_files"


def render(ctx: Context, key: str = "pack") -> None:
    """Period picker, a build button with a progress bar, then the two
    downloads. Names in the pack are masked when the frame's mask is on."""
    if not can(ctx.user, "export"):
        return
    periods = ctx.periods["period"].tolist() if ctx.periods is not None else []
    if not periods:
        st.info(ctx.t("pack.finding.no_data"), icon=":material/info:")
        return
    default = periods.index(ctx.period) if ctx.period in periods else 0
    # The picker follows the frame's period whenever that changes (a keyed
    # widget would otherwise keep its own old choice). On a change of
    # language it keeps its choice but is set again, so the browser shows it
    # in the new language (it kept showing 「2023年度」 in English).
    follows = f"{key}_period_frame"
    before = st.session_state.get(follows)
    if before != (ctx.period, ctx.lang):
        st.session_state[follows] = (ctx.period, ctx.lang)
        chosen = st.session_state.get(f"{key}_period")
        keep = isinstance(before, tuple) and before[0] == ctx.period and chosen in periods
        st.session_state[f"{key}_period"] = chosen if keep else periods[default]
    period = st.selectbox(ctx.t("pack.button.period"), periods, key=f"{key}_period",
                          format_func=lambda p: i18n.format_period(p, ctx.lang))
    st.caption(ctx.t("pack.button.masked" if ctx.mask else "pack.button.unmasked"))
    wanted = (period, ctx.lang, ctx.mask, ctx.data_version)
    if st.button(ctx.t("pack.button.build"), key=f"{key}_build", icon=":material/slideshow:", type="primary"):
        bar = st.progress(0.0, text=ctx.t("pack.progress.collect"))

        def progress(fraction: float, step: str) -> None:
            bar.progress(min(max(fraction, 0.0), 1.0), text=ctx.t(step))

        try:
            pptx, pdf = pack.build_bytes(ctx.con, ctx.settings, period, lang=ctx.lang, mask=ctx.mask, progress=progress)
        except Exception as exc:  # a failed build is a message, never a traceback
            bar.empty()
            st.error(ctx.t("pack.button.failed", error=str(exc)), icon=":material/error:")
            return
        st.session_state[STATE_KEY] = {"for": wanted, "pptx": pptx, "pdf": pdf}
    built = st.session_state.get(STATE_KEY)
    if not built or built["for"] != wanted:
        return
    stem = f"cadre-{period}"
    left, right = st.columns(2)
    left.download_button(ctx.t("pack.button.pptx"), data=built["pptx"], file_name=f"{stem}.pptx",
                         key=f"{key}_pptx", icon=":material/download:",
                         **audited.on_click(ctx, "pack_download", {"period": period, "format": "pptx", "masked": ctx.mask}),
                         mime="application/vnd.openxmlformats-officedocument.presentationml.presentation")
    right.download_button(ctx.t("pack.button.pdf"), data=built["pdf"], file_name=f"{stem}.pdf",
                          key=f"{key}_pdf", icon=":material/picture_as_pdf:", mime="application/pdf",
                          **audited.on_click(ctx, "pack_download", {"period": period, "format": "pdf", "masked": ctx.mask}))
