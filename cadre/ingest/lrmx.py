"""任免审批表 files: ``.lrmx`` (XML), ``.lrm`` (GBK, one quoted line) with
its ``.pic`` photo, and ``.zip`` archives of them.

Reading only: bytes in, one :class:`PersonFile` per person out (tag -> text,
the photo as bytes). What a person file means for the roster, movements and
grades is derived in :mod:`cadre.ingest.derive`. Every byte is hostile: sizes
are capped before reading, archives are checked entry by entry before any
entry is read, the XML parser itself (``defusedxml``) refuses a DTD, an
entity or an external reference wherever it stands and in any encoding, and
a file that cannot be read becomes a :class:`PersonProblem` naming the file
and the line or tag, its detail in the user's language.
"""
from __future__ import annotations

import base64
import csv
import io
import re
import zipfile
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pyexpat import errors as expat_errors

import defusedxml.ElementTree as DET
from defusedxml import DefusedXmlException

from cadre.i18n import t

from .problems import Problem
from .readers import CONTROL as _CONTROL

MAX_PERSON_FILE = 8 * 1024 * 1024     # one .lrmx / .lrm (photo included)
MAX_PHOTO = 4 * 1024 * 1024           # decoded photo bytes (a .pic, or 照片 in an .lrmx)
MAX_ZIP_ENTRIES = 5000
MAX_ZIP_ENTRY = 20 * 1024 * 1024      # one uncompressed entry
MAX_ZIP_TOTAL = 400 * 1024 * 1024     # all entries of one archive, uncompressed
MAX_TEXT = 64 * 1024                  # one tag's text

PERSON_SUFFIXES = (".lrmx", ".lrm", ".pic")

# .lrm positions -> the .lrmx tag names (see docs/lrmx.md).
LRM_POSITIONS = {
    0: "XingMing", 1: "XingBie", 2: "ChuShengNianYue", 3: "MinZu", 4: "JiGuan",
    5: "RuDangShiJian", 6: "JianKangZhuangKuang", 7: "ChuShengDi", 8: "CanJiaGongZuoShiJian",
    11: "ZhuanYeJiShuZhiWu", 16: "ShuXiZhuanYeYouHeZhuanChang", 17: "JianLi",
    18: "JiangChengQingKuang", 19: "NianDuKaoHeJieGuo", 25: "XianRenZhiWu", 26: "NiRenZhiWu",
    27: "NiMianZhiWu", 28: "RenMianLiYou", 29: "ChengBaoDanWei", 30: "JiSuanNianLingShiJian",
}

# Tag -> the Chinese name shown in messages.
TAG_ZH = {
    "XingMing": "姓名", "XingBie": "性别", "ChuShengNianYue": "出生年月", "MinZu": "民族",
    "RuDangShiJian": "入党时间", "CanJiaGongZuoShiJian": "参加工作时间",
    "QuanRiZhiJiaoYu_XueLi": "全日制教育学历", "ZaiZhiJiaoYu_XueLi": "在职教育学历",
    "XianRenZhiWu": "现任职务", "JianLi": "简历", "NianDuKaoHeJieGuo": "年度考核结果",
    "ShenFenZheng": "身份证号", "ZhaoPian": "照片", "Person": "Person",
}


class PersonProblem(Problem):
    """A problem with a person file: messages come from ``lrmx.<code>``."""

    __slots__ = ()

    def message(self, lang: str = "zh") -> str:
        params = {k: v for k, v in self.params.items()}
        params.setdefault("line", "" if self.row is None else self.row)
        if "detail_key" in params:  # a parser's error, said in the user's language
            params["detail"] = t(f"lrmx.detail.{params.pop('detail_key')}", lang)
        return t(f"lrmx.{self.code}", lang, file=self.file or "", column=self.column or "",
                 value="" if self.value is None else self.value, **params)


def problem(file, code, tag=None, value=None, line=None, **params) -> PersonProblem:
    column = f"{tag}（{TAG_ZH[tag]}）" if tag in TAG_ZH and tag != "Person" else tag
    return PersonProblem(file, None, line, column, value, code, params)


@dataclass
class PersonFile:
    file: str                   # the name shown (an archive entry as "a.zip/b.lrmx")
    kind: str                   # lrmx | lrm
    tags: dict = field(default_factory=dict)   # tag -> text (stripped; missing tags absent)
    photo: bytes | None = None
    base: str = ""              # lower-case base name, to pair an .lrm with its .pic


# ------------------------------------------------------------ classifying

def is_person_name(name: str) -> bool:
    return name.lower().endswith(PERSON_SUFFIXES)


def is_person_zip(name: str, data: bytes) -> bool:
    """A .zip of person files (not an XLSX workbook, which is a zip too)."""
    if data[:4] != b"PK\x03\x04":
        return False
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            names = zf.namelist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return name.lower().endswith(".zip")
    if "[Content_Types].xml" in names:
        return False
    return name.lower().endswith(".zip") or any(is_person_name(n) for n in names)


def sniff_lrmx(data: bytes) -> bool:
    head = data[:4096].lstrip(b"\xef\xbb\xbf \t\r\n")
    return head.startswith(b"<?xml") and b"<Person" in data[:65536] or head.startswith(b"<Person")


def _entry_name(info: zipfile.ZipInfo) -> str:
    name = info.filename
    if not info.flag_bits & 0x800:  # not marked UTF-8: Chinese Windows zips are GBK
        try:
            name = name.encode("cp437").decode("gb18030")
        except (UnicodeEncodeError, UnicodeDecodeError):
            pass
    return name


def expand_zip(name: str, data: bytes) -> tuple[list[tuple[str, bytes]], list[PersonProblem]]:
    """The entries of an archive as (shown name, bytes), sizes checked from
    the directory before anything is read, and again while reading."""
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError, ValueError):
        return [], [problem(name, "bad_zip")]
    with zf:
        infos = [i for i in zf.infolist() if not i.is_dir()]
        if len(infos) > MAX_ZIP_ENTRIES:
            return [], [problem(name, "zip_too_many", count=len(infos), limit=MAX_ZIP_ENTRIES)]
        total = sum(i.file_size for i in infos)
        if total > MAX_ZIP_TOTAL:
            return [], [problem(name, "zip_too_large", limit=MAX_ZIP_TOTAL // (1024 * 1024))]
        out, problems = [], []
        for info in infos:
            shown = f"{name}/{_entry_name(info)}"
            base = shown.rsplit("/", 1)[-1]
            if base.startswith((".", "__MACOSX")) or "/__MACOSX/" in shown:
                continue
            if info.file_size > MAX_ZIP_ENTRY:
                problems.append(problem(shown, "file_too_large", limit=MAX_ZIP_ENTRY // (1024 * 1024)))
                continue
            if info.flag_bits & 0x1:
                problems.append(problem(shown, "zip_encrypted"))
                continue
            try:
                with zf.open(info) as fh:
                    content = fh.read(MAX_ZIP_ENTRY + 1)
            except (zipfile.BadZipFile, OSError, ValueError, NotImplementedError, EOFError):
                problems.append(problem(shown, "bad_zip"))
                continue
            if len(content) > MAX_ZIP_ENTRY:
                problems.append(problem(shown, "file_too_large", limit=MAX_ZIP_ENTRY // (1024 * 1024)))
                continue
            out.append((shown, content))
        return out, problems


# ------------------------------------------------------------ .lrmx

_BR = re.compile(r"<\s*br\s*/?\s*>", re.IGNORECASE)
_DECL_ENC = re.compile(rb"^\s*<\?xml[^>]*encoding=[\"']([A-Za-z0-9_\-]+)[\"']", re.IGNORECASE)
_DECL = re.compile(r"^\s*<\?xml[^>]*\?>")
# A raw <br>, <br/> or <br /> (many tools write 简历 with unescaped line
# breaks, which is not well-formed XML): replaced before parsing by a mark
# read back as a line break. A private-use character keeps every line where
# it was, so a file broken otherwise is refused at its own line.
_RAW_BR = re.compile(r"<\s*br\s*/?\s*>", re.IGNORECASE)
_RAW_BR_BYTES = re.compile(rb"<\s*br\s*/?\s*>", re.IGNORECASE)
_BR_MARK = "\ue000"
# Byte order marks, longest first (a UTF-32 mark starts like a UTF-16 one).
_BOMS = ((b"\xff\xfe\x00\x00", "utf-32"), (b"\x00\x00\xfe\xff", "utf-32"),
         (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16"))
# expat's errors -> the lrmx.detail.<key> that says them in the user's language
_EXPAT_DETAIL = {expat_errors.codes[getattr(expat_errors, name)]: key for name, key in (
    ("XML_ERROR_SYNTAX", "syntax"), ("XML_ERROR_NO_ELEMENTS", "no_elements"),
    ("XML_ERROR_INVALID_TOKEN", "invalid_token"), ("XML_ERROR_UNCLOSED_TOKEN", "unclosed_token"),
    ("XML_ERROR_PARTIAL_CHAR", "partial_char"), ("XML_ERROR_TAG_MISMATCH", "tag_mismatch"),
    ("XML_ERROR_DUPLICATE_ATTRIBUTE", "duplicate_attribute"),
    ("XML_ERROR_JUNK_AFTER_DOC_ELEMENT", "junk_after_root"),
    ("XML_ERROR_UNDEFINED_ENTITY", "undefined_entity"), ("XML_ERROR_BAD_CHAR_REF", "bad_char_ref"),
    ("XML_ERROR_MISPLACED_XML_PI", "misplaced_declaration"),
    ("XML_ERROR_UNCLOSED_CDATA_SECTION", "unclosed_cdata"),
    ("XML_ERROR_INCORRECT_ENCODING", "encoding"), ("XML_ERROR_UNKNOWN_ENCODING", "encoding"),
)}


def _text_of(el) -> str:
    """An element's text with ``<br/>`` children read as line breaks."""
    parts = [el.text or ""]
    for child in el:
        if child.tag.lower() == "br":
            parts.append("\n")
        else:
            parts.append("".join(child.itertext()))
        parts.append(child.tail or "")
    return "".join(parts).replace(_BR_MARK, "\n")


def clean_text(text: str) -> str:
    text = _BR.sub("\n", text).replace("\r\n", "\n").replace("\r", "\n")
    return text.strip()[:MAX_TEXT]


def _xml_source(name: str, data: bytes) -> tuple[bytes | str | None, PersonProblem | None]:
    """The text the parser reads: a byte order mark or a declared encoding
    other than UTF-8 decoded here (the declaration then dropped), raw
    ``<br>`` line breaks repaired."""
    enc = next((e for bom, e in _BOMS if data.startswith(bom)), None)
    shown = enc.upper() if enc else None
    if enc is None:
        m = _DECL_ENC.match(data[:200])
        if m and m.group(1).lower().replace(b"_", b"-") not in (b"utf-8", b"utf8", b"us-ascii", b"ascii"):
            shown = m.group(1).decode("ascii")
            enc = shown.lower()
            enc = "gb18030" if enc.startswith("gb") else enc
    if enc is None:
        return _RAW_BR_BYTES.sub(_BR_MARK.encode("utf-8"), data), None
    try:
        text = data.decode(enc)
    except (LookupError, UnicodeDecodeError):
        return None, problem(name, "bad_encoding", value=shown)
    text = _DECL.sub("", text.lstrip("\ufeff"), count=1)
    return _RAW_BR.sub(_BR_MARK, text), None


def read_lrmx(name: str, data: bytes) -> tuple[PersonFile | None, list[PersonProblem]]:
    if len(data) > MAX_PERSON_FILE:
        return None, [problem(name, "file_too_large", limit=MAX_PERSON_FILE // (1024 * 1024))]
    source, prob = _xml_source(name, data)
    if prob is not None:
        return None, [prob]
    try:
        # the parser refuses a DTD, an entity or an external reference as it
        # meets one, wherever it stands: nothing is expanded or fetched
        root = DET.fromstring(source, forbid_dtd=True)
    except DefusedXmlException:
        return None, [problem(name, "xml_dtd")]
    except ET.ParseError as exc:
        line, col = getattr(exc, "position", (None, None))
        return None, [problem(name, "xml_broken", line=line, col=col,
                              detail_key=_EXPAT_DETAIL.get(getattr(exc, "code", None), "other"))]
    if root.tag != "Person":
        return None, [problem(name, "not_person", "Person", value=str(root.tag)[:40])]
    person = PersonFile(name, "lrmx", base=_base(name))
    family = []
    for child in root:
        tag = child.tag
        if not isinstance(tag, str):
            continue
        if tag == "JiaTingChengYuan":
            family.append(len(child))
            continue
        if tag == "ZhaoPian":  # the whole text: a photo is far longer than MAX_TEXT
            photo, prob = _decode_photo(name, _text_of(child))
            if prob:
                return person, [prob]
            person.photo = photo
            continue
        text = clean_text(_text_of(child))
        if text:
            person.tags[tag] = text
    return person, []


def _decode_photo(name: str, text: str):
    """The photo's bytes from its base64 text (wrapped at any width, or on
    one line), or a problem; None when the tag is empty."""
    if len(text) > MAX_PHOTO * 3 // 2 + 1024:  # base64 with generous line breaks
        return None, problem(name, "photo_too_large", "ZhaoPian", limit=MAX_PHOTO // (1024 * 1024))
    compact = re.sub(r"\s+", "", text)
    if not compact:
        return None, None
    if len(compact) > (MAX_PHOTO + 2) // 3 * 4:
        return None, problem(name, "photo_too_large", "ZhaoPian", limit=MAX_PHOTO // (1024 * 1024))
    try:
        raw = base64.b64decode(compact, validate=True)
    except (ValueError, base64.binascii.Error):
        return None, problem(name, "photo_unreadable", "ZhaoPian")
    if len(raw) > MAX_PHOTO:
        return None, problem(name, "photo_too_large", "ZhaoPian", limit=MAX_PHOTO // (1024 * 1024))
    if not photo_kind(raw):
        return None, problem(name, "photo_unreadable", "ZhaoPian")
    return raw, None


def photo_kind(raw: bytes | None) -> str | None:
    """The MIME type of a photo's bytes, or None when it is not JPEG/PNG/GIF/BMP."""
    if not raw:
        return None
    if raw[:3] == b"\xff\xd8\xff":
        return "image/jpeg"
    if raw[:8] == b"\x89PNG\r\n\x1a\n":
        return "image/png"
    if raw[:4] == b"GIF8":
        return "image/gif"
    if raw[:2] == b"BM":
        return "image/bmp"
    return None


def _base(name: str) -> str:
    base = name.rsplit("/", 1)[-1]
    return base.rsplit(".", 1)[0].lower() if "." in base else base.lower()


# ------------------------------------------------------------ .lrm

def read_lrm(name: str, data: bytes) -> tuple[PersonFile | None, list[PersonProblem]]:
    if len(data) > MAX_PERSON_FILE:
        return None, [problem(name, "file_too_large", limit=MAX_PERSON_FILE // (1024 * 1024))]
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = data.decode("gb18030")
        except UnicodeDecodeError:
            return None, [problem(name, "bad_encoding", value="GBK")]
    try:
        records = list(csv.reader(io.StringIO(text, newline=""), delimiter=",", quotechar='"', strict=True))
    except csv.Error as exc:
        line = _csv_line(exc) or text.count("\n") + 1  # the end of data: the last line
        return None, [problem(name, "lrm_broken", line=line, detail_key=_csv_detail(exc))]
    records = [r for r in records if any(c.strip() for c in r)]
    for values in records[:1]:  # a control character (a NUL…) is named with its field
        for pos, value in enumerate(values):
            bad = _CONTROL.search(value)
            if bad:
                tag = LRM_POSITIONS.get(pos)
                return None, [problem(name, "lrm_control", tag, line=1, position=pos + 1,
                                      char=f"U+{ord(bad.group()):04X}")]
    if len(records) != 1 or len(records[0]) < 26:
        n = len(records[0]) if records else 0
        return None, [problem(name, "lrm_fields", count=n)]
    values = records[0]
    person = PersonFile(name, "lrm", base=_base(name))
    for pos, tag in LRM_POSITIONS.items():
        if pos < len(values):
            v = clean_text(values[pos])
            if v:
                person.tags[tag] = v
    for pos, stem in ((9, ""), (10, "_BiYeYuanXiaoXi")):
        if pos >= len(values):
            continue
        cells = values[pos].split("@")
        for i, mode in enumerate(("QuanRiZhiJiaoYu", "ZaiZhiJiaoYu")):
            parts = (cells[i].split("#") if i < len(cells) else []) + ["", ""]
            for j, what in enumerate(("XueLi", "XueWei")):
                v = clean_text(parts[j])
                if v:
                    person.tags[f"{mode}_{what}{stem}"] = v
    if "JianLi" in person.tags:  # lines may be '@'-joined cells
        person.tags["JianLi"] = person.tags["JianLi"].replace("@", "\n")
    return person, []


def _csv_detail(exc) -> str:
    """The lrmx.detail.<key> of a csv error (its text is English)."""
    msg = str(exc)
    for needle, key in (("expected after", "quote_inside"), ("unexpected end", "unclosed_quote"),
                        ("new-line", "newline_unquoted"), ("field larger", "field_too_long")):
        if needle in msg:
            return key
    return "other"


def _csv_line(exc) -> int | None:
    m = re.search(r"line (\d+)", str(exc))
    return int(m.group(1)) if m else None


# ------------------------------------------------------------ a batch

def read_people(files: list[tuple[str, bytes]]) -> tuple[list[PersonFile], list[tuple[str, bytes]], list[PersonProblem]]:
    """Split an upload into person files (read) and the other files (tables).

    Archives are opened (one level); ``.pic`` photos are paired with the
    ``.lrm`` of the same base name anywhere in the upload.
    """
    people: list[PersonFile] = []
    tables: list[tuple[str, bytes]] = []
    problems: list[PersonProblem] = []
    pics: dict[str, tuple[str, bytes]] = {}
    queue = list(files)
    while queue:
        name, data = queue.pop(0)
        data = bytes(data or b"")
        low = name.lower()
        if "/" not in name and is_person_zip(name, data):
            entries, probs = expand_zip(name, data)
            problems += probs
            for entry in entries:
                if entry[0].lower().endswith(".zip"):
                    problems.append(problem(entry[0], "zip_nested"))
                else:
                    queue.append(entry)
            continue
        if low.endswith(".pic"):
            if len(data) > MAX_PHOTO:
                problems.append(problem(name, "photo_too_large", "ZhaoPian", limit=MAX_PHOTO // (1024 * 1024)))
            else:
                pics[_base(name)] = (name, data)
            continue
        if low.endswith(".lrmx") or (not low.endswith((".csv", ".xlsx", ".txt", ".lrm")) and sniff_lrmx(data)):
            person, probs = read_lrmx(name, data)
        elif low.endswith(".lrm"):
            person, probs = read_lrm(name, data)
        else:
            tables.append((name, data))
            continue
        problems += probs
        if person is not None:
            people.append(person)
    for person in people:
        if person.kind == "lrm" and person.photo is None and person.base in pics:
            pname, raw = pics.pop(person.base)
            if photo_kind(raw):
                person.photo = raw
            else:
                problems.append(problem(pname, "photo_unreadable", "ZhaoPian"))
    for pname, _raw in pics.values():
        if not any(p.base == _base(pname) for p in people):
            problems.append(problem(pname, "pic_alone"))
    return people, tables, problems
