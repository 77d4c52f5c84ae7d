"""Workforce projection: the office year by year from a date under
the rank rules in force, scenarios side by side (hire 0 / 3 / 6 a year, later
retirement, promote faster), shared in the URL; an optional band from
simulated exits; the first gap year of each section."""
import streamlit as st

from cadre.charts import foresight as charts
from cadre.foresight import scenarios
from cadre.foresight import service as foresight
from cadre.ui import cached, dates, foresight_url, frame, widgets

ctx = frame.context()
options = dates.page_dates(ctx, "nav.projection")

chosen = foresight_url.state()
left, mid, right = st.columns([1, 2, 1], vertical_alignment="bottom")
start = dates.date_picker(ctx, "projection_date", options, container=left)
names = mid.multiselect(ctx.t("foresight.page.scenarios"), list(scenarios.SCENARIOS), default=chosen["scenarios"],
                        format_func=lambda n: charts.scenario_label(n, ctx.lang), key="projection_scenarios",
                        max_selections=len(scenarios.SCENARIOS)) or list(scenarios.DEFAULT)
years = right.slider(ctx.t("foresight.page.years"), 1, scenarios.MAX_YEARS, chosen["years"], key="projection_years")
P = ctx.projector
# On the projector the chart comes right under the controls and fits 1280×720;
# the band switch and the rules line go under it.
if P:
    chart_box, notes_box = st.container(), st.container()
else:
    notes_box, chart_box = st.container(), st.container()
band_on = notes_box.toggle(ctx.t("foresight.page.band"), value=chosen["band"], key="projection_band",
                    help=ctx.t("foresight.page.band.help"))
foresight_url.save({"scenarios": names, "years": years, "band": band_on})

results = cached.run(ctx, "projection", start, tuple(names), years)
frames = {n: r.years for n, r in results.items()}
band = cached.run(ctx, "projection_band", start, names[0], years) if band_on else None
notes_box.caption(ctx.t("foresight.page.rules",
                        preset=ctx.t(f"foresight.preset.{ctx.settings.get('rank_preset', 'demo')}")))
cols = chart_box.columns(1 if P else 2)
with cols[0]:
    widgets.chart(ctx, cached.figure(ctx, "projection_headcount", (start, tuple(names), years, band_on, ctx.lang, P),
                                     lambda: charts.lines(frames, "headcount", ctx.lang, P, band, names[0])),
                  key="projection_headcount", file_name="projection_headcount")
with cols[-1]:
    widgets.chart(ctx, cached.figure(ctx, "projection_mean_age", (start, tuple(names), years, band_on, ctx.lang, P),
                                     lambda: charts.lines(frames, "mean_age", ctx.lang, P, band, names[0])),
                  key="projection_mean_age", file_name="projection_mean_age")
if not P:
    widgets.chart(ctx, cached.figure(ctx, "projection_echelon", (start, tuple(names), years, ctx.lang),
                                     lambda: charts.echelon(frames, ctx.settings["ladder"], ctx.lang, P)),
                  key="projection_echelon", file_name="projection_echelon")
st.subheader(ctx.t("foresight.page.gaps"))
gaps = foresight.gap_table(results)
gaps = gaps.rename(columns={n: charts.scenario_label(n, ctx.lang) for n in names})
widgets.table(ctx, foresight.gap_text(gaps, ctx.t("foresight.page.no_gap")), key="projection_gaps",
              file_name="projection_gap_years", value_columns=("section",))
