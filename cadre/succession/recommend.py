"""Recommendations (推荐) for posts: the leadership records whom it
recommends for which post (section + post name) and why; a recommendation is
revisable until it is closed, and a closed one is the office's record.

Admins and leaders record (``access`` action ``recommend``); every change is
written with its audit entry in one transaction (``audit.record_in``), so a
recommendation is never stored unaudited. A closed recommendation produces
the 推荐名单 (XLSX, one-page PDF) and, per person, the 任免审批表 (``.lrmx``
and its printed PDF, ``cadre.export.lrmx`` / ``lrmx_form``), or a ``.zip``
of the forms; whoever takes an export that carries names is audit-logged
(``record_export``).
"""
from __future__ import annotations

import datetime as dt
import html
import io
import zipfile

import pandas as pd

from cadre import access, audit, i18n, masking, reasons, store
from cadre.export import lrmx, lrmx_form, pdf
from cadre.export.tables import to_xlsx

REASON_MAX = reasons.MAX
STATUSES = ("open", "closed")
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMATS = {"list": ("xlsx", "pdf"), "form": ("lrmx", "pdf", "zip")}


class RecommendError(ValueError):
    """A request that cannot be carried out; ``key`` names the message
    (``succession.err.*``), ``params`` fill it."""

    def __init__(self, key: str, **params):
        super().__init__(key)
        self.key, self.params = key, params

    def message(self, lang: str = i18n.DEFAULT_LANGUAGE) -> str:
        return i18n.t(self.key, lang, **self.params)


# --------------------------------------------------------------------------- checks

def _require(user, action: str = "recommend") -> None:
    if not access.can(user, action):
        raise RecommendError("succession.err.not_allowed")


def _reason(text) -> str:
    reason, problem = reasons.check(text)
    if problem:
        raise RecommendError(f"succession.err.{problem}", n=REASON_MAX)
    return reason


def post_names(settings: dict) -> list[str]:
    """Every post name a recommendation may name: head, deputy and leadership posts."""
    names = [*settings["head_posts"], *settings["deputy_posts"], *settings["leadership_posts"]]
    return list(dict.fromkeys(names))


def parse_post(text: str) -> tuple[str, str]:
    """``SECTION/POST`` as the command line gives it."""
    section, sep, post = str(text or "").partition("/")
    if not sep or not section.strip() or not post.strip():
        raise RecommendError("succession.err.bad_post", post=text)
    return section.strip(), post.strip()


def _check_post(con, settings: dict, section: str, post: str) -> None:
    leadership = settings["leadership_section"]
    allowed = settings["leadership_posts"] if section == leadership else \
        [*settings["head_posts"], *settings["deputy_posts"]]
    sections = set(store.query(con, "frame_sections", leadership_section=leadership)["section"].astype(str)) | {leadership}
    if section not in sections:
        raise RecommendError("succession.err.no_section", section=section)
    if post not in allowed:
        raise RecommendError("succession.err.no_post", post=post, posts=i18n.join(allowed, "zh"))


def _check_person(con, person_id: str) -> None:
    rows = store.query(con, "roster_person", person_id=str(person_id))
    if not len(rows):
        raise RecommendError("succession.err.no_person", person=person_id)


def get(con, rec_id: int) -> dict | None:
    rows = store.query(con, "recommend_list", id=int(rec_id), status=None)
    return None if not len(rows) else rows.iloc[0].to_dict()


def version(con) -> str:
    """A digest of every recommendation's post, person and status: what a
    cached board depends on besides the data and the settings."""
    return str(store.query(con, "recommend_version").iloc[0]["version"])


def listing(con, status: str | None = None) -> pd.DataFrame:
    """Every recommendation (or those of ``status``), newest first, names joined."""
    return store.query(con, "recommend_list", id=None, status=status)


def _open(con, rec_id: int) -> dict:
    rec = get(con, rec_id)
    if rec is None:
        raise RecommendError("succession.err.no_recommendation", id=rec_id)
    if rec["status"] != "open":
        raise RecommendError("succession.err.closed", id=rec_id)
    return rec


def _stamp(now) -> dt.datetime:
    return now or dt.datetime.now().replace(microsecond=0)


# --------------------------------------------------------------------------- changing

def add(con, settings: dict, section: str, post: str, person_id: str, reason: str, user,
        now: dt.datetime | None = None) -> int:
    """Record an open recommendation of ``person_id`` for ``post`` of
    ``section``; returns its id."""
    _require(user)
    reason = _reason(reason)
    _check_post(con, settings, section, post)
    _check_person(con, person_id)
    stamp = _stamp(now)
    with store.transaction(con) as cur:
        rec_id = int(store.execute(cur, "recommend_insert", section=section, post=post, person_id=str(person_id),
                                   reason=reason, recorded_at=stamp, user_name=user.name).fetchone()[0])
        audit.record_in(cur, user, "recommend_add", {"recommendation": rec_id, "section": section, "post": post,
                                                     "person": str(person_id), "reason": reason}, at=stamp)
    return rec_id


def revise(con, settings: dict, rec_id: int, user, *, section: str | None = None, post: str | None = None,
           person_id: str | None = None, reason: str | None = None, now: dt.datetime | None = None) -> dict:
    """Change an open recommendation (what is not given stays); returns the
    changes ``{field: {"from", "to"}}`` (empty: nothing changed, nothing logged)."""
    _require(user)
    rec = _open(con, rec_id)
    new = {"section": section if section is not None else rec["section"],
           "post": post if post is not None else rec["post"],
           "person_id": str(person_id) if person_id is not None else rec["person_id"],
           "reason": _reason(reason) if reason is not None else rec["reason"]}
    _check_post(con, settings, new["section"], new["post"])
    if new["person_id"] != rec["person_id"]:
        _check_person(con, new["person_id"])
    changed = {k: {"from": rec[k], "to": v} for k, v in new.items() if rec[k] != v}
    if not changed:
        return {}
    with store.transaction(con) as cur:
        store.execute(cur, "recommend_revise", id=int(rec_id), **new)
        audit.record_in(cur, user, "recommend_revise", {"recommendation": int(rec_id), "changed": changed},
                        at=_stamp(now))
    return changed


def close(con, rec_id: int, user, now: dt.datetime | None = None) -> dict:
    """Close an open recommendation: it becomes the office's record."""
    _require(user)
    rec = _open(con, rec_id)
    stamp = _stamp(now)
    with store.transaction(con) as cur:
        store.execute(cur, "recommend_close", id=int(rec_id), closed_at=stamp, user_name=user.name)
        audit.record_in(cur, user, "recommend_close", {"recommendation": int(rec_id), "section": rec["section"],
                                                       "post": rec["post"], "person": rec["person_id"]}, at=stamp)
    return get(con, rec_id)


# --------------------------------------------------------------------------- exports

def closed(con, ids: list[int] | None = None) -> pd.DataFrame:
    """The closed recommendations to export: those of ``ids`` (each must be
    closed), else every closed one; oldest first."""
    rows = listing(con, "closed")
    if ids:
        wanted = [int(i) for i in ids]
        everything = listing(con)
        known = set(everything["id"].astype(int))
        missing = [i for i in wanted if i not in known]
        if missing:
            raise RecommendError("succession.err.no_recommendation", id=missing[0])
        still_open = [i for i in wanted if i not in set(rows["id"].astype(int))]
        if still_open:
            raise RecommendError("succession.err.not_closed", id=still_open[0])
        rows = rows[rows["id"].astype(int).isin(wanted)]
    if not len(rows):
        raise RecommendError("succession.err.none_closed")
    return rows.sort_values("id").reset_index(drop=True)


def _text(series: pd.Series) -> pd.Series:
    return series.astype(object).where(series.notna(), "")


def proposed_post(office: str | None, section: str, post: str, settings: dict) -> str:
    """拟任职务 as the form writes a post (unit, section unless the leadership, post)."""
    return lrmx.post_text(office, section, post, None, settings)


def list_frame(rows: pd.DataFrame, settings: dict, lang: str = "zh", mask: bool = False) -> pd.DataFrame:
    """The 推荐名单: number, name, current post, proposed post, reason, when and by whom."""
    names = _text(rows["name"])
    leadership = settings["leadership_section"]
    now_post = _text(rows["person_section"]).where(_text(rows["person_section"]) != leadership, "") \
        + _text(rows["person_position"]).where(_text(rows["person_position"]) != "", _text(rows["person_rank"]))
    to_post = rows["section"].where(rows["section"] != leadership, "").astype(str) + rows["post"].astype(str)
    t = lambda k: i18n.t(k, lang)  # noqa: E731
    return pd.DataFrame({
        t("succession.col.no"): range(1, len(rows) + 1),
        t("col.name"): (masking.mask_series(names) if mask else names).to_numpy(),
        t("succession.col.current_post"): now_post.to_numpy(),
        t("succession.col.proposed_post"): to_post.to_numpy(),
        t("succession.col.reason"): rows["reason"].astype(str).to_numpy(),
        t("succession.col.recorded"): pd.to_datetime(rows["recorded_at"]).dt.strftime("%Y-%m-%d").to_numpy(),
        t("succession.col.recorded_by"): rows["recorded_by"].map(lambda n: access.user_label(n, lang)).to_numpy(),
    })


def _title(settings: dict, lang: str) -> str:
    office = settings.get("office_name") or i18n.t("pack.office_default", lang)
    return i18n.t("succession.list.title", lang, office=office)


def list_xlsx(rows: pd.DataFrame, settings: dict, lang: str = "zh", mask: bool = False) -> bytes:
    return to_xlsx({i18n.t("succession.list.sheet", lang)[:31]: list_frame(rows, settings, lang, mask)})


LIST_CSS = f"""
@page {{ size: A4 portrait; margin: 16mm 18mm; }}
html, body {{ margin: 0; padding: 0; font-family: {pdf.PRINT_FONT_STACK}; color: #000; }}
h1 {{ text-align: center; font-size: 18pt; margin: 0 0 10pt 0; }}
table {{ border-collapse: collapse; width: 100%; font-size: 10pt; }}
th, td {{ border: 1px solid #444; padding: 3pt 5pt; text-align: left; vertical-align: top; }}
th {{ background: #eee; }}
.sign {{ text-align: right; margin-top: 14pt; }}
"""


def list_html(rows: pd.DataFrame, settings: dict, lang: str = "zh", mask: bool = False,
              today: dt.date | None = None) -> str:
    e = html.escape
    frame = list_frame(rows, settings, lang, mask)
    head = "".join(f"<th>{e(str(c))}</th>" for c in frame.columns)
    body = "".join("<tr>" + "".join(f"<td>{e(str(v))}</td>" for v in row) + "</tr>"
                   for row in frame.itertuples(index=False, name=None))
    office = settings.get("office_name") or i18n.t("pack.office_default", lang)
    signed = i18n.format_date(today or dt.date.today(), lang)
    html_lang = "zh-CN" if lang == "zh" else "en"
    return (f'<!doctype html><html lang="{html_lang}"><head><meta charset="utf-8"><style>{LIST_CSS}</style></head>'
            f"<body><h1>{e(_title(settings, lang))}</h1><table><thead><tr>{head}</tr></thead><tbody>{body}</tbody>"
            f'</table><p class="sign">{e(office)}<br>{e(signed)}</p></body></html>')


def list_pdf(rows: pd.DataFrame, settings: dict, lang: str = "zh", mask: bool = False) -> bytes:
    """The 推荐名单 as a one-page A4 PDF (through the one PDF printer)."""
    return pdf.pdf_bytes(list_html(rows, settings, lang, mask), name="recommendations")


def forms(con, settings: dict, rows: pd.DataFrame) -> list[lrmx.PersonForm]:
    """The 任免审批表 of each closed recommendation: 拟任职务 the post, 任免理由
    the reason, filled by whoever closed it on the day it was closed."""
    office = (settings.get("office_name") or "").strip() or None
    out = []
    for rec in rows.itertuples(index=False):  # one form per recommended person (a handful, not the office)
        form = lrmx.gather(con, settings, str(rec.person_id),
                           proposed_post=proposed_post(office, rec.section, rec.post, settings),
                           reason=str(rec.reason), filled_by=access.user_label(rec.closed_by, "zh"),
                           filled_on=pd.Timestamp(rec.closed_at).date())
        if form is not None:
            out.append(form)
    return out


def plan(con, what: str, fmt: str, ids: list[int] | None = None, lang: str = "zh",
         mask: bool = False) -> tuple[pd.DataFrame, str, dict]:
    """(the closed recommendations, the file name, the audit detail) of an
    export, checked before anything is made. A single ``.lrmx`` or form
    ``.pdf`` is one person's: ask for one recommendation."""
    if what not in FORMATS or fmt not in FORMATS[what]:
        raise RecommendError("succession.err.bad_format", what=what, fmt=fmt)
    rows = closed(con, ids)
    if what == "form":
        mask = False   # the form is the organisation department's: names as they are
        if fmt in ("lrmx", "pdf") and len(rows) != 1:
            raise RecommendError("succession.err.one_form", n=len(rows))
    if what == "list":
        name = f"{i18n.t('succession.list.file', lang)}.{fmt}"
    elif fmt == "zip":
        name = f"{i18n.t('succession.form.file', lang)}.zip"
    else:
        rec = rows.iloc[0]
        base = lrmx.file_name(lrmx.PersonForm(str(rec["person_id"]), fields={"XingMing": str(rec["name"] or "")}))
        name = base if fmt == "lrmx" else base[:-len(".lrmx")] + ".pdf"
    detail = {"what": f"recommend_{what}", "file": name, "recommendations": [int(i) for i in rows["id"]],
              "people": sorted(set(rows["person_id"].astype(str))), "masked": bool(mask)}
    return rows, name, detail


def make_export(con, settings: dict, what: str, fmt: str, ids: list[int] | None = None, lang: str = "zh",
                mask: bool = False) -> tuple[bytes, str, dict]:
    """(file bytes, file name, audit detail) of ``what`` ('list' | 'form') as
    ``fmt`` for the closed recommendations ``ids`` (none: every closed one)."""
    rows, name, detail = plan(con, what, fmt, ids, lang, mask)
    if what == "list":
        data = list_xlsx(rows, settings, lang, mask) if fmt == "xlsx" else list_pdf(rows, settings, lang, mask)
        return data, name, detail
    made = forms(con, settings, rows)
    if fmt == "lrmx":
        data = lrmx.to_lrmx(made[0])
    elif fmt == "pdf":
        data = lrmx_form.form_pdf(made[0])
    else:
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
            for form in made:
                base = lrmx.file_name(form)
                z.writestr(base, lrmx.to_lrmx(form))
                z.writestr(base[:-len(".lrmx")] + ".pdf", lrmx_form.form_pdf(form))
        data = buf.getvalue()
    return data, name, detail


def record_export(con, user, detail: dict) -> None:
    """The audit entry of an export that carries names (one per file taken)."""
    audit.record(con, user, "export", detail)


def export(con, settings: dict, user, what: str, fmt: str, ids: list[int] | None = None, lang: str = "zh",
           mask: bool = False) -> tuple[bytes, str]:
    """``make_export`` for ``user`` (who must be allowed to export), audited."""
    _require(user, "export")
    data, name, detail = make_export(con, settings, what, fmt, ids, lang, mask)
    record_export(con, user, detail)
    return data, name
