"""Person profile: one person's scores over time by dimension and source,
ranks, grades, movements and posts."""
import streamlit as st

from cadre import i18n, intake, masking, people_list
from cadre.assessment.tables import person_periods_table
from cadre.display import md_text
from cadre.charts import assessment as charts
from cadre.ui import cached, explain as why, frame, widgets

ctx = frame.context(needs="view_person")
widgets.page_header(ctx, "nav.person")


people = cached.run(ctx, "people")
ids = people["person_id"].tolist()
many = len(ids) > people_list.PICKER_MAX  # a search box over the list, not a select of everyone
wanted = st.query_params.get("person")
if wanted in ids and wanted != st.session_state.get("person_url"):
    st.session_state["person_pick"] = st.session_state["person_url"] = wanted  # arrived by a link
    st.session_state["person_query"] = ""
elif st.session_state.get("person_pick") not in ids:
    st.session_state["person_pick"] = None


def _to_url():
    """Keep the chosen person in the URL, so a profile can be linked to."""
    pick = st.session_state.get("person_pick")
    st.session_state["person_url"] = pick
    if pick:
        st.query_params["person"] = pick
    else:
        st.query_params.pop("person", None)


def _searching():
    """A new search leaves the profile for the list of matches."""
    st.session_state["person_pick"] = None
    _to_url()


if many:
    query = st.text_input(ctx.t("assessment.person.search"), key="person_query", on_change=_searching,
                          placeholder=ctx.t("assessment.person.search.placeholder"))
    person_id = st.session_state["person_pick"]
else:
    query = ""
    labels = dict(zip(people["person_id"], people["person_id"] + " · " + masking.apply(people, ctx.mask)["name"]
                      + " · " + people["section"].map(ctx.v)))
    person_id = st.selectbox(ctx.t("assessment.person.search"), ids, key="person_pick", on_change=_to_url,
                             format_func=lambda p: labels.get(p, p),
                             placeholder=ctx.t("assessment.person.search.placeholder"))
if not person_id:  # open on the people of the current scope; a row opens a profile
    d = cached.run(ctx, "distribution", ctx.period, None) if ctx.period else None
    query = (query or "").strip()
    listed = people_list.scope_people(people, d.people if d is not None else None, ctx.section,
                                      among=cached.run(ctx, "people_found", query) if query else None)
    st.caption(ctx.t("leader.person.found", n=len(listed)) if query else ctx.t("leader.person.list", n=len(listed)))
    state = widgets.table(ctx, listed, key="person_list", file_name="people", selectable=True,
                          value_columns=("section", "rank", "computed_grade", "official_grade"))
    if state and state.selection.rows:
        st.query_params["person"] = listed.iloc[state.selection.rows[0]]["person_id"]  # read as a link
        st.rerun()
    st.stop()
p = cached.run(ctx, "person_profile", person_id)
if p is None:
    widgets.notice(ctx, "assessment.notice.no_person", person=person_id)
    st.stop()

name = masking.mask_name(p.person["name"]) if ctx.mask else p.person["name"]
state = p.state
st.header(f"{md_text(name)} · {md_text(person_id)}")
photo = None if ctx.mask else intake.person_photo(ctx.con, person_id)  # masked with the name
if photo is not None:
    st.image(photo[1], width=120, caption=ctx.t("lrmx.ui.photo"))
widgets.metric_row([(label, md_text(value), help_) for label, value, help_ in
                    (widgets.fig(ctx, k, state.get(k) or p.person[k] or None) for k in ("section", "position", "rank"))]
                   + [widgets.fig(ctx, k, state.get(k)) for k in ("years_in_rank", "years_in_post")])
if state.get("as_of") is not None:
    st.caption(ctx.t("assessment.person.as_of", date=i18n.format_date(state["as_of"], ctx.lang)))

if p.history.empty:
    widgets.notice(ctx, "assessment.notice.never_assessed")
else:
    widgets.chart(ctx, charts.person_history(p.history, ctx.lang, ctx.projector), key="person_history",
                  file_name=f"person_{person_id}")
tabs = st.tabs([ctx.t("assessment.tab.sources"), ctx.t("assessment.tab.periods"), ctx.t("assessment.tab.movements"),
                ctx.t("assessment.tab.posts"), ctx.t("explain.tab")])
with tabs[0]:
    if len(p.by_source):
        widgets.chart(ctx, charts.person_sources(p.by_source, ctx.lang, ctx.projector), key="person_sources",
                      file_name=f"person_sources_{person_id}")
    else:
        widgets.notice(ctx, "assessment.notice.never_assessed")
with tabs[1]:
    widgets.table(ctx, person_periods_table(p.history, ctx.lang), key="person_periods",
                  file_name=f"person_periods_{person_id}", value_columns=("section", "computed_grade", "official_grade"))
with tabs[2]:
    if len(p.movements):
        widgets.table(ctx, p.movements, key="person_moves", file_name=f"person_movements_{person_id}",
                      value_columns=("kind", "from_section", "to_section", "from_position", "to_position",
                                     "from_rank", "to_rank"))
    else:
        widgets.notice(ctx, "assessment.notice.no_movements")
with tabs[3]:
    widgets.table(ctx, p.posts, key="person_posts", file_name=f"person_posts_{person_id}",
                  value_columns=("section", "position"))
with tabs[4]:
    why.person_periods(ctx, person_id, p.history["period"].astype(str).tolist(),
                       lambda a, b: cached.run(ctx, "explain_person", person_id, a, b))
