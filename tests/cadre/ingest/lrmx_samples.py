"""任免审批表 files built in the tests: several people of one office, 简历 in
every form of docs/lrmx.md, 年度考核结果 in every form, a missing tag, a
broken XML, and a GBK .lrm with its .pic."""
from __future__ import annotations

import base64
import io
import zipfile

OFFICE = "某县政府办公室"


def _jpeg() -> bytes:
    from PIL import Image
    buf = io.BytesIO()
    Image.new("RGB", (90, 120), (70, 110, 160)).save(buf, format="JPEG")
    return buf.getvalue()


JPEG = _jpeg()


def _xml(tags: dict, crlf: bool = False, photo: bytes | None = None) -> bytes:
    parts = ['<?xml version="1.0" encoding="UTF-8"?>', "<Person>"]
    for tag, value in tags.items():
        parts.append(f"  <{tag}>{value}</{tag}>")
    if photo is not None:
        b64 = base64.b64encode(photo).decode("ascii")
        wrapped = "\n".join(b64[i:i + 76] for i in range(0, len(b64), 76))
        parts.append(f"  <ZhaoPian>{wrapped}</ZhaoPian>")
    parts.append("  <Version>3.2.1.16</Version>")
    parts.append("</Person>")
    nl = "\r\n" if crlf else "\n"
    return nl.join(parts).encode("utf-8")


# 张建国: the doc's own 简历 (--, —, -, open end), CRLF, CDATA, a photo, 身份证号.
ZHANG = _xml({
    "XingMing": "张建国", "XingBie": "男", "ChuShengNianYue": "196507", "MinZu": "汉族",
    "RuDangShiJian": "198806", "CanJiaGongZuoShiJian": "198607",
    "QuanRiZhiJiaoYu_XueLi": "大学", "QuanRiZhiJiaoYu_XueWei": "学士",
    "ZaiZhiJiaoYu_XueLi": "研究生", "ZaiZhiJiaoYu_XueWei": "",
    "XianRenZhiWu": "某县政府办公室主任",
    "JianLi": "<![CDATA[1986.07--1990.06  某县政府办公室秘书科科员\r\n"
              "1990.07--1994.12  某县政府办公室综合科副科长\r\n"
              "        (其间:1992.09--1994.07在省委党校函授学习)\r\n"
              "1995.01—2001.03  某县政府办公室秘书科科长\r\n"
              "2001.04-2004.12  某县政府办公室副主任\r\n"
              "2005.01--         某县政府办公室主任]]>",
    "NianDuKaoHeJieGuo": "2019、2020年度考核为称职，2021年度考核为优秀",
    "ShenFenZheng": "410102196507011234",
}, crlf=True, photo=JPEG)

# 李秀英: <br> in the text, full-width spaces, 至今, a first job outside the
# office (调入), 年度考核 "均为", political 民盟 with a date.
LI = _xml({
    "XingMing": "李秀英", "XingBie": "女", "ChuShengNianYue": "1972.03",
    "RuDangShiJian": "199105；民盟", "CanJiaGongZuoShiJian": "199103",
    "QuanRiZhiJiaoYu_XueLi": "大专", "ZaiZhiJiaoYu_XueLi": "大学本科",
    "XianRenZhiWu": "某县政府办公室综合科科长",
    "JianLi": "199103--199512\u3000某乡政府办事员&lt;br&gt;"
              "199601--200212\u3000\u3000某县政府办公室综合科科员&lt;br&gt;"
              "2003.01～2008.12　某县政府办公室综合科副科长&lt;br&gt;"
              "2009.01--至今  某县政府办公室综合科科长",
    "NianDuKaoHeJieGuo": "2019、2020、2021年年度考核均为称职。",
    "ShenFenZheng": "",
})

# 王磊: a 简历 section nobody holds now (档案科), "2019年：优秀；2020年：合格".
WANG = _xml({
    "XingMing": "王磊", "XingBie": "男", "ChuShengNianYue": "19800115",
    "RuDangShiJian": "200306", "CanJiaGongZuoShiJian": "200207",
    "QuanRiZhiJiaoYu_XueLi": "大学本科",
    "XianRenZhiWu": "某县政府办公室信访科副科长",
    "JianLi": "1998.09--2002.07  某大学中文系学习\n"
              "2002.07--2006.12  某县政府办公室秘书科科员\n"
              "2007.01--2010.12  某县政府办公室档案科科员\n"
              "2011.01--  某县政府办公室信访科副科长",
    "NianDuKaoHeJieGuo": "2019年：优秀；2020年：合格",
    "ShenFenZheng": "410102198001151111",
})

# 赵敏: 年度考核 "(无)", a missing tag (XingBie).
ZHAO = _xml({
    "XingMing": "赵敏", "ChuShengNianYue": "199002",
    "CanJiaGongZuoShiJian": "201307", "QuanRiZhiJiaoYu_XueLi": "研究生",
    "XianRenZhiWu": "某县政府办公室秘书科科员",
    "JianLi": "2013.07--  某县政府办公室秘书科科员",
    "NianDuKaoHeJieGuo": "(无)",
    "ShenFenZheng": "410102199002022222",
})

BROKEN = ('<?xml version="1.0" encoding="UTF-8"?>\n<Person>\n  <XingMing>坏文件</XingMing>\n'
          '  <JianLi>2001.01--  某县政府办公室科员\n</Person>\n').encode("utf-8")


def lrm_bytes() -> bytes:
    """陈刚 as a GBK .lrm (one line of quoted values)."""
    values = [""] * 33
    values[0], values[1], values[2], values[3] = "陈刚", "男", "197511", "汉族"
    values[5], values[8] = "199806", "199707"
    values[9] = "大学#学士@研究生#硕士"
    values[17] = ("1997.07--2004.06  某县政府办公室秘书科科员@"
                  "2004.07--2012.12  某县政府办公室秘书科副科长@"
                  "2013.01--  某县政府办公室秘书科科长")
    values[19] = "2019年：优秀；2020年：称职；2021年：基本合格"
    values[25] = "某县政府办公室秘书科科长"
    line = ",".join('"' + v + '"' for v in values) + "\r\n"
    return line.encode("gbk")


def zipped(entries: dict[str, bytes], gbk_names: bool = False) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in entries.items():
            zf.writestr(name, data)
    return buf.getvalue()


def office_files() -> list[tuple[str, bytes]]:
    """The whole batch: two .lrmx and the .lrm + .pic zipped, two .lrmx loose."""
    archive = zipped({"张建国.lrmx": ZHANG, "李秀英.lrmx": LI, "陈刚.lrm": lrm_bytes(), "陈刚.pic": JPEG})
    return [("干部任免审批表.zip", archive), ("王磊.lrmx", WANG), ("赵敏.lrmx", ZHAO)]
