"""Audit log (administrators): who signed in, uploaded, undid, changed
settings or users, adopted a scenario, exported or downloaded a pack, and
when; filtered by user, kind and dates, downloadable, never editable."""
import streamlit as st

from cadre import audit
from cadre.ui import frame, widgets

ctx = frame.context(needs="view_audit", scoped=False)
widgets.page_header(ctx, "nav.audit")
st.caption(ctx.t("audit.intro"))

who_col, kind_col, from_col, to_col = st.columns([1.2, 2.4, 1, 1])
who = who_col.selectbox(ctx.t("audit.filter.user"), [""] + audit.users_in_log(ctx.con), key="audit_user",
                        format_func=lambda u: u or ctx.t("audit.filter.user.all"))
kinds = kind_col.multiselect(ctx.t("audit.filter.kind"), list(audit.KINDS), key="audit_kinds",
                             format_func=lambda k: audit.kind_label(k, ctx.lang),
                             placeholder=ctx.t("audit.filter.kind.placeholder"))
# The dates start filled in (the log's first day, today): an empty date box
# shows its format, 「yyyy-mm-dd」, whatever the language.
first_day, last_day = audit.span(ctx.con)
start = from_col.date_input(ctx.t("audit.filter.from"), value=first_day, key="audit_from", format="YYYY-MM-DD")
end = to_col.date_input(ctx.t("audit.filter.to"), value=last_day, key="audit_to", format="YYYY-MM-DD")

entries = audit.entries(ctx.con, user=who or None, kinds=kinds or None, start=start, end=end)
if not len(entries):
    widgets.notice(ctx, "audit.empty")
    st.stop()
st.caption(ctx.t("audit.count", n=len(entries)))
if len(entries) >= audit.MAX_ROWS:
    st.warning(ctx.t("audit.capped", n=audit.MAX_ROWS), icon=":material/filter_alt:")
widgets.table(ctx, audit.display_frame(entries, ctx.lang), key="audit_log", file_name=ctx.t("audit.file"))
