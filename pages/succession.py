"""Succession and recommendation: the succession board (posts, holders, successors and their
readiness under the rules in force, posts without a ready successor
flagged, the projection's gap year), candidates compared side by side, the
leadership's recommendations with their close and downloads, and the talent
review matrix. Viewers see the board with names masked, no list
of people and no exports."""
import streamlit as st

from cadre.access import can
from cadre.display import md_text
from cadre.succession import recommend, review, views
from cadre.ui import audited, cached, dates, frame, nav, widgets

ctx = frame.context()
options = dates.page_dates(ctx, "nav.succession")

day = dates.date_picker(ctx, "succession_date", options)
board_key = (day, recommend.version(ctx.con))   # the gap years come from the cached projection of the day
b = cached.shared(ctx, "succession_board", *board_key)   # one object for every session: only read
flagged = int(b.posts["no_ready_successor"].sum())

st.subheader(ctx.t("succession.page.board"))
if flagged:
    st.warning(ctx.t("succession.page.flagged", n=flagged), icon=":material/warning:")
widgets.table(ctx, cached.figure(ctx, "succession_posts", board_key + (ctx.lang, ctx.mask),
                                 lambda: views.posts_frame(b, ctx.settings, ctx.lang, ctx.mask)), key="succession_board",
              file_name="succession_board", download=can(ctx.user, "export"),
              column_config={ctx.t("succession.col.holders"): st.column_config.TextColumn(width=210)})

labels = cached.figure(ctx, "succession_post_labels", board_key,
                       lambda: views.post_labels(b.posts, ctx.settings).tolist())
pick = st.selectbox(ctx.t("succession.page.post"), range(len(labels)), format_func=lambda i: labels[i],
                    key="succession_post")
post = b.posts.iloc[pick]
st.markdown("**" + ctx.md(ctx.t("succession.page.successors_of", post=labels[pick])) + "**")
succ = views.successors_frame(b, post["section"], post["post"], ctx.lang, ctx.mask)
if not len(succ):
    st.caption(ctx.t("succession.page.no_successors"))
else:
    widgets.table(ctx, succ, key="succession_successors", file_name="succession_successors",
                  value_columns=("section", "rank"))

if ctx.sees_people:
    # ---- compare candidates
    st.subheader(ctx.t("succession.page.compare"))
    people = b.successors.loc[(b.successors["section"] == post["section"]) & (b.successors["post"] == post["post"]),
                              "person_id"].tolist()
    def _roster():   # everyone in office at the date: number → shown name, in the matrix's order
        roster = cached.run(ctx, "talent_matrix", day, None)[["person_id", "name"]]
        return dict(zip(roster["person_id"], views._names(roster["name"].to_numpy(), ctx.mask)))

    names = cached.figure(ctx, "succession_roster", (day, ctx.mask), _roster)   # shared, read only
    # the choices are the post's successors, those already compared and whom a search found:
    # never the whole roster (a city's 10,000 names are a picker nobody scrolls, sent on every run)
    compare_key = f"succession_compare_{pick}"
    query = st.text_input(ctx.t("succession.page.compare.find"), key=f"succession_find_{pick}",
                          help=ctx.t("succession.page.compare.find_help"), max_chars=40)
    found, matched = views.find_people(names, query)
    if query.strip():
        if not matched:
            st.caption(ctx.md(ctx.t("succession.page.compare.found_none", q=query.strip())))
        elif matched > len(found):
            st.caption(ctx.t("succession.page.compare.found_more", n=matched, shown=len(found)))
        else:
            st.caption(ctx.t("succession.page.compare.found", n=matched))
    choices = list(dict.fromkeys(people + list(st.session_state.get(compare_key, [])) + found))
    chosen = st.multiselect(ctx.t("succession.page.compare.pick"), choices, default=people[:3],
                            format_func=lambda p: f"{names.get(p, p)}（{p}）", max_selections=review.MAX_COMPARED,
                            key=compare_key)
    if chosen:
        cand = cached.run(ctx, "candidates", day, tuple(chosen), post["post_step"])
        table, differs = review.compare_table(cand, ctx.lang, ctx.mask)
        shade = [("background-color: #fff3c4" if d else "") for d in differs]
        # a static table: every row shown, long cells wrap (a grid would scroll or cut them on the
        # projector); st.table renders Markdown, so every cell is made literal first
        shown = table.map(md_text).rename(columns=md_text)
        st.table(shown.style.apply(lambda col: shade, axis=0, subset=shown.columns[1:]), hide_index=True)
        st.caption(ctx.t("succession.page.compare.differs"))
        links = st.columns(len(chosen))   # each candidate's column opens their profile
        profile = next(spec.file for spec in nav.PAGES if spec.key == "person")
        for col, pid in zip(links, cand["person_id"]):
            col.page_link(profile, label=ctx.t("succession.page.compare.profile", name=md_text(names.get(pid, pid))),
                          icon=":material/person:", query_params={"person": pid})
        if can(ctx.user, "export"):
            title = ctx.t("succession.page.compare.title", post=labels[pick])
            st.download_button(
                ctx.t("succession.page.compare.pdf"), key="succession_compare_pdf", icon=":material/download:",
                data=audited.deferred(ctx, "export", {"file": "compare.pdf", "people": chosen, "masked": ctx.mask},
                                      lambda: review.compare_pdf(title, table, differs, ctx.lang)),
                file_name="compare.pdf", mime="application/pdf", on_click="ignore")

    # ---- recommend
    st.subheader(ctx.t("succession.page.recommend"))
    if not can(ctx.user, "recommend"):
        st.caption(ctx.t("succession.page.recommend.viewer"))
    elif not (chosen or people):
        st.caption(ctx.t("succession.page.recommend.none"))
    else:
        with st.form("succession_recommend_form"):
            who = st.selectbox(ctx.t("succession.page.recommend.person"), chosen or people,
                               format_func=lambda p: f"{names.get(p, p)}（{p}）", key="succession_recommend_person")
            reason = st.text_area(ctx.t("succession.page.recommend.reason"), key="succession_recommend_reason",
                                  max_chars=recommend.REASON_MAX)
            if st.form_submit_button(ctx.t("succession.page.recommend.save")):
                try:
                    rec_id = recommend.add(ctx.con, ctx.settings, post["section"], post["post"], who, reason, ctx.user)
                    st.success(ctx.t("succession.page.recommend.saved", id=rec_id))
                except recommend.RecommendError as exc:
                    st.error(ctx.md(exc.message(ctx.lang)))

    rows = recommend.listing(ctx.con)
    if len(rows):
        st.markdown("**" + ctx.md(ctx.t("succession.page.records")) + "**")
        widgets.table(ctx, views.records_frame(rows, ctx.settings, ctx.lang, ctx.mask), key="succession_records",
                      file_name="recommendations", download=False)
        open_ids = rows.loc[rows["status"] == "open", "id"].astype(int).tolist()
        if open_ids and can(ctx.user, "recommend"):
            left, right = st.columns([3, 1], vertical_alignment="bottom")
            which = left.selectbox(ctx.t("succession.page.close.pick"), open_ids, key="succession_close_pick")
            if right.button(ctx.t("succession.page.close"), key="succession_close"):
                try:
                    recommend.close(ctx.con, which, ctx.user)
                    st.success(ctx.t("succession.page.closed", id=which))
                    st.rerun()
                except recommend.RecommendError as exc:
                    st.error(ctx.md(exc.message(ctx.lang)))

    # ---- downloads of closed recommendations
    closed = rows[rows["status"] == "closed"]
    if can(ctx.user, "export"):
        st.markdown("**" + ctx.md(ctx.t("succession.page.downloads")) + "**")
        if not len(closed):
            st.caption(ctx.t("succession.page.none_closed"))
        else:
            def button(label_key, key, what, fmt, ids=None, mime="application/octet-stream"):
                mask = ctx.mask if what == "list" else False
                _rows, name, detail = recommend.plan(ctx.con, what, fmt, ids, ctx.lang, mask)
                st.download_button(
                    ctx.t(label_key), key=key, icon=":material/download:", file_name=name, mime=mime,
                    on_click="ignore",   # no rerun: the next button's file stays served
                    data=audited.deferred(ctx, "export", detail,
                                          lambda: recommend.make_export(ctx.con, ctx.settings, what, fmt, ids,
                                                                        ctx.lang, mask)[0]))

            c1, c2 = st.columns(2)
            with c1:
                button("succession.page.download.list_xlsx", "succession_dl_list_xlsx", "list", "xlsx",
                       mime=recommend.XLSX_MIME)
            with c2:
                button("succession.page.download.list_pdf", "succession_dl_list_pdf", "list", "pdf",
                       mime="application/pdf")
            ids = closed["id"].astype(int).tolist()
            who_of = dict(zip(ids, views._names(closed["name"].to_numpy(), ctx.mask)))
            form_of = st.selectbox(ctx.t("succession.page.download.form_pick"), ids, key="succession_form_pick",
                                   format_func=lambda i: f"{i} · {who_of[i]}")
            c1, c2, c3 = st.columns(3)
            with c1:
                button("succession.page.download.lrmx", "succession_dl_lrmx", "form", "lrmx", [form_of])
            with c2:
                button("succession.page.download.form_pdf", "succession_dl_form_pdf", "form", "pdf", [form_of],
                       mime="application/pdf")
            with c3:
                button("succession.page.download.zip", "succession_dl_zip", "form", "zip", mime="application/zip")

# ---- talent review matrix
st.subheader(ctx.t("succession.matrix.title"))
grid = cached.run(ctx, "talent_matrix", day, ctx.section)   # the frame's scope: the office or one section
st.caption(views.cut_text(ctx.settings, ctx.lang))
missing = int(grid["band"].isna().sum())
if missing:
    st.caption(ctx.t("succession.matrix.no_scores", n=missing))
matrix = cached.figure(ctx, "succession_matrix", (day, ctx.section, ctx.lang, ctx.projector, ctx.mask, ctx.sees_people),
                       lambda: views.matrix_figure(grid, ctx.lang, ctx.projector, ctx.mask, ctx.sees_people))
widgets.chart(ctx, matrix, key="succession_matrix", file_name="talent_matrix",
                      on_select="rerun" if ctx.sees_people else "ignore", selection_mode="points")
state = st.session_state.get("succession_matrix_chart")   # a click on a point picks its cell
points = state.selection.points if state and ctx.sees_people else []
if ctx.sees_people and points and points[0].get("customdata") is not None:
    band, ready = points[0]["customdata"][:2]
    people = views.cell_frame(grid, band, ready, ctx.lang, ctx.mask)
    st.markdown("**" + ctx.md(ctx.t("succession.matrix.cell.people", perf=views.band_label(band, ctx.lang),
                                    ready=views.ready_label(ready, ctx.lang), n=len(people))) + "**")
    widgets.table(ctx, people, key="succession_cell", file_name="talent_cell", value_columns=("section", "rank"))
