"""The printed 干部任免审批表: one A4 sheet, front and back, in the form's
ruled grid (``../shared/docs/lrmx.md``, "The printed form"), from the same
:class:`~cadre.export.lrmx.PersonForm` the ``.lrmx`` file is written from,
printed by the one PDF printer (:mod:`cadre.export.pdf`).

Every value is HTML-escaped text; a field the store does not know is an
empty cell, never a guess. The form is Chinese whatever the UI language:
it is an official document in its standard layout.
"""
from __future__ import annotations

import base64
import html

from cadre.export import pdf
from cadre.export.lrmx import PersonForm
from cadre.ingest.lrmx import photo_kind

FAMILY_ROWS = 6

_CSS = """
@page { size: A4 portrait; margin: 14mm 14mm 12mm 14mm; }
body { margin: 0; color: #000; font-size: 10.5pt; }
.sheet { page-break-after: always; height: 268mm; display: flex; flex-direction: column; }
.sheet:last-child { page-break-after: auto; }
h1 { text-align: center; font-size: 20pt; letter-spacing: 0.3em; margin: 0 0 4mm 0; }
table { border-collapse: collapse; width: 100%; table-layout: fixed; }
td { border: 1px solid #000; padding: 1.2mm 1.5mm; vertical-align: middle; word-break: break-all; }
td.l { text-align: center; width: 19mm; }
td.photo { width: 30mm; text-align: center; padding: 0; }
td.photo img { width: 26mm; height: 34mm; object-fit: cover; }
tr.r td { height: 10mm; }
td.block { vertical-align: top; white-space: pre-wrap; }
.grow { flex: 1; }
.grow table, .grow tr.fill { height: 100%; }
.seal { height: 24mm; vertical-align: bottom; text-align: right; }
.foot { margin-top: 3mm; display: flex; justify-content: space-between; }
"""


def _e(text) -> str:
    return html.escape(str(text or ""))


def _birth(form: PersonForm) -> str:
    month = form.fields.get("ChuShengNianYue", "")
    if not month:
        return ""
    text = f"{month[:4]}.{month[4:6]}"
    return f"{text}（{form.age}岁）" if form.age is not None else text


def _photo(form: PersonForm) -> str:
    mime = photo_kind(form.photo)
    if not mime:   # no photo, or bytes that are no picture: the cell stays empty
        return ""
    uri = f"data:{mime};base64,{base64.b64encode(form.photo).decode('ascii')}"
    return f'<img src="{uri}" alt="">'


def _date(text: str) -> str:
    """``YYYYMMDD`` as 「YYYY年M月D日」; anything else as given."""
    if len(text) == 8 and text.isdigit():
        return f"{text[:4]}年{int(text[4:6])}月{int(text[6:])}日"
    return text


def _resume(form: PersonForm) -> str:
    rows = []
    for start, end, text in form.resume:
        span = f"{start:%Y.%m}—{end:%Y.%m}" if end is not None else f"{start:%Y.%m}—"
        rows.append(f"{_e(span)}　{_e(text)}")
    return "\n".join(rows)


def form_html(form: PersonForm) -> str:
    """The form as an HTML document of two A4 pages."""
    f = {k: _e(v) for k, v in form.fields.items()}
    g = f.get
    full, part = g("QuanRiZhiJiaoYu_XueLi", ""), g("ZaiZhiJiaoYu_XueLi", "")
    front = f"""
<div class="sheet">
<h1>干部任免审批表</h1>
<table>
<colgroup><col style="width:19mm"><col><col style="width:19mm"><col><col style="width:22mm"><col>
<col style="width:30mm"></colgroup>
<tr class="r"><td class="l">姓名</td><td>{g("XingMing", "")}</td><td class="l">性别</td><td>{g("XingBie", "")}</td>
<td class="l">出生年月<br>（岁）</td><td>{_e(_birth(form))}</td><td class="photo" rowspan="4">{_photo(form)}</td></tr>
<tr class="r"><td class="l">民族</td><td>{g("MinZu", "")}</td><td class="l">籍贯</td><td>{g("JiGuan", "")}</td>
<td class="l">出生地</td><td>{g("ChuShengDi", "")}</td></tr>
<tr class="r"><td class="l">入党时间</td><td>{g("RuDangShiJian", "")}</td><td class="l">参加工作时间</td>
<td>{_e(_month_text(form.fields.get("CanJiaGongZuoShiJian", "")))}</td>
<td class="l">健康状况</td><td>{g("JianKangZhuangKuang", "")}</td></tr>
<tr class="r"><td class="l">专业技术职务</td><td colspan="2">{g("ZhuanYeJiShuZhiWu", "")}</td>
<td class="l">熟悉专业有何专长</td><td colspan="2">{g("ShuXiZhuanYeYouHeZhuanChang", "")}</td></tr>
<tr class="r"><td class="l" rowspan="2">学历<br>学位</td><td class="l">全日制<br>教育</td>
<td colspan="2">{full}{(" " + g("QuanRiZhiJiaoYu_XueWei", "")) if g("QuanRiZhiJiaoYu_XueWei") else ""}</td>
<td class="l">毕业院校<br>系及专业</td><td colspan="2">{g("QuanRiZhiJiaoYu_XueLi_BiYeYuanXiaoXi", "")}</td></tr>
<tr class="r"><td class="l">在职<br>教育</td>
<td colspan="2">{part}{(" " + g("ZaiZhiJiaoYu_XueWei", "")) if g("ZaiZhiJiaoYu_XueWei") else ""}</td>
<td class="l">毕业院校<br>系及专业</td><td colspan="2">{g("ZaiZhiJiaoYu_XueLi_BiYeYuanXiaoXi", "")}</td></tr>
<tr class="r"><td class="l">现任职务</td><td colspan="6">{g("XianRenZhiWu", "")}</td></tr>
<tr class="r"><td class="l">拟任职务</td><td colspan="6">{g("NiRenZhiWu", "")}</td></tr>
<tr class="r"><td class="l">拟免职务</td><td colspan="6">{g("NiMianZhiWu", "")}</td></tr>
</table>
<div class="grow"><table><colgroup><col style="width:19mm"><col></colgroup>
<tr class="fill"><td class="l">简<br><br>历</td><td class="block">{_resume(form)}</td></tr></table></div>
</div>"""
    family = "".join('<tr class="r"><td></td><td></td><td></td><td></td><td></td></tr>' for _ in range(FAMILY_ROWS))
    back = f"""
<div class="sheet">
<table>
<colgroup><col style="width:19mm"><col style="width:18mm"><col style="width:22mm"><col style="width:14mm">
<col style="width:22mm"><col></colgroup>
<tr><td class="l" style="height:30mm">奖惩<br>情况</td><td class="block" colspan="5">{g("JiangChengQingKuang", "")}</td></tr>
<tr><td class="l" style="height:22mm">年度考<br>核结果</td><td class="block" colspan="5">{g("NianDuKaoHeJieGuo", "")}</td></tr>
<tr><td class="l" style="height:22mm">任免<br>理由</td><td class="block" colspan="5">{g("RenMianLiYou", "")}</td></tr>
<tr class="r"><td class="l" rowspan="{FAMILY_ROWS + 1}">家庭主要<br>成员及重<br>要社会关<br>系</td>
<td class="l">称谓</td><td class="l">姓名</td><td class="l">年龄</td><td class="l">政治面貌</td>
<td class="l">工作单位及职务</td></tr>
{family}
<tr><td class="l">呈报<br>单位</td><td colspan="5" class="seal">{g("ChengBaoDanWei", "")}<br><br>（盖章）　　年　月　日</td></tr>
<tr><td class="l">审批机关<br>意见</td><td colspan="5" class="seal">（盖章）　　年　月　日</td></tr>
<tr><td class="l">行政机关<br>任免意见</td><td colspan="5" class="seal">（盖章）　　年　月　日</td></tr>
</table>
<div class="foot"><span>填表人：{g("TianBiaoRen", "")}</span>
<span>填表时间：{_e(_date(form.fields.get("TianBiaoShiJian", "")))}</span></div>
</div>"""
    return f"""<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>干部任免审批表</title>
<style>{_CSS}</style></head><body>{front}{back}</body></html>"""


def _month_text(month: str) -> str:
    return f"{month[:4]}.{month[4:6]}" if len(month) == 6 and month.isdigit() else month


def form_pdf(form: PersonForm) -> bytes:
    """The printed form (one A4 sheet, front and back) as PDF bytes."""
    return pdf.pdf_bytes(form_html(form), name="renmian")
