"""One upload of any mix: tables (CSV, XLSX, mapped foreign exports) and
任免审批表 person files (.lrmx, .lrm + .pic, .zip of them).

``read_all`` returns the same :class:`~cadre.ingest.Upload` the tables alone
would, with the derived rows merged in. The gaps of the derivation are
problems (nothing loads) unless ``accept_derived``: then the certain rows
load, and the gaps are listed as notes.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

import pandas as pd

from cadre import settings as S

from . import columns as C
from .derive import REQUIRED, Derived, derive
from .lrmx import problem, read_people
from .parse import as_text
from .problems import Problem
from . import readers
from .readers import RawSheet, ReadError
from .upload import Upload, read_upload


@dataclass
class FullUpload(Upload):
    derived: Derived | None = None
    photos: dict = field(default_factory=dict)


class ReadOnce:
    """:func:`readers.read_file` that reads each file of one upload once:
    the check for a column mapping and the validation both ask for a file's
    sheets (each read decodes and scans the whole file). Keep it only while
    that upload is read: it holds the sheets (and the files' text) it gave."""

    def __init__(self):
        self._read: dict[tuple[str, int], tuple[bytes, list[RawSheet] | None, ReadError | None]] = {}

    def __call__(self, name: str, data: bytes) -> list[RawSheet]:
        key = (name, id(data))
        if key not in self._read:  # the bytes are kept too, so that their id names them
            try:
                self._read[key] = (data, readers.read_file(name, data), None)
            except ReadError as err:
                self._read[key] = (data, None, err)
        _data, sheets, err = self._read[key]
        if err is not None:
            raise err
        return sheets


def read_all(files, settings: dict | None = None, store_roster: pd.DataFrame | None = None,
             lang: str = "zh", office: str | None = None, accept_derived: bool = False,
             sections: list[str] | None = None, corrections: dict | None = None,
             transform=None, store_latest=None, store_moves: pd.DataFrame | None = None) -> FullUpload:
    """Read every file of one upload.

    ``transform(tables) -> (tables, problems, notes)`` rewrites foreign
    spreadsheets through their column mappings before they are read.
    """
    settings = settings or S.defaults()
    files = [(name, bytes(data or b"")) for name, data in files]
    people, tables, file_problems = read_people(files)
    extra_problems, extra_notes = [], []
    read = ReadOnce()  # each table file read once, for the mapping check and the validation
    if transform is not None and tables:
        tables, tp, tn = transform(tables, read)
        extra_problems += tp
        extra_notes += tn
    known_sections = list(sections or [])
    derived = derive(people, settings, office=office, sections=known_sections, corrections=corrections)

    certain = derived.certain_people()
    roster_in = derived.roster[certain] if accept_derived else derived.roster
    roster_in = roster_in.copy()
    if accept_derived and len(roster_in):
        unsure = derived.unsure.loc[roster_in.index]
        for c in C.ROSTER_OUT:
            if c not in REQUIRED and unsure[c].any():
                roster_in[c] = roster_in[c].mask(unsure[c])
    ids = set(roster_in["person_id"])

    known = store_roster if store_roster is not None else pd.DataFrame({"person_id": []})
    if len(roster_in):
        keep = ["person_id", "birth_date"]  # birth dates: the movements' age check reads them
        known = pd.concat([known[[c for c in keep if c in known]], roster_in[[c for c in keep if c in roster_in]]],
                          ignore_index=True)
    up = read_upload(tables, settings=settings, store_roster=known, lang=lang, store_latest=store_latest,
                     store_moves=store_moves, read=read)
    del read  # the files' sheets and text: not kept past the validation

    moves = derived.movements
    if accept_derived and len(moves):
        moves = moves[derived.movement_sure.to_numpy()]
    moves = moves[moves["person_id"].isin(ids)].copy()
    grades = derived.assessments[derived.assessments["person_id"].isin(ids)].copy()

    problems = list(up.problems) + list(extra_problems)
    notes = list(up.notes) + list(extra_notes) + list(derived.notes)
    gaps = list(file_problems) + list(derived.gaps)
    if accept_derived:
        notes += gaps
        dropped = derived.roster.loc[~certain, ["person_id", "name"]] if len(derived.roster) else []
        for pid, name in (dropped.itertuples(index=False, name=None) if len(dropped) else []):
            notes.append(problem(derived.files.get(pid), "person_skipped", value=name or pid))
    else:
        problems += gaps

    # a person both in a table roster and in a person file: the table row wins
    if len(up.roster) and len(roster_in):
        both = roster_in["person_id"].isin(set(as_text(up.roster["person_id"]).dropna()))
        for pid in roster_in.loc[both, "person_id"]:
            notes.append(problem(derived.files.get(pid), "table_wins", "ShenFenZheng", value=pid))
        roster_in = roster_in[~both]
    # a grade the tables give for the same person and year: the table wins
    if len(up.assessments) and len(grades):
        have = set(zip(up.assessments["person_id"], up.assessments["period"]))
        grades = grades[[(a, b) not in have for a, b in zip(grades["person_id"], grades["period"])]]

    roster = _cat(up.roster, roster_in, C.ROSTER_OUT)
    if len(moves):
        moves["seq"] = range(len(up.movements) + 1, len(up.movements) + 1 + len(moves))
    movements = _cat(up.movements, moves, C.MOVEMENTS_OUT)
    assessments = _cat(up.assessments, grades, C.ASSESSMENTS_OUT)

    if not problems and not (len(roster) or len(assessments) or len(movements)):
        # nothing to land: an empty batch would say the upload worked
        problems = [n for n in notes if n.code == "no_rows"] or [
            Problem(files[0][0] if files else None, None, None, None, None, "nothing_to_load")]
        notes = [n for n in notes if n.code != "no_rows"]

    file_info = [{"name": n, "sha256": hashlib.sha256(d).hexdigest()} for n, d in files]
    photos = {pid: raw for pid, raw in derived.photos.items() if pid in set(roster_in["person_id"])}
    return FullUpload(roster=roster, assessments=assessments, movements=movements,
                      problems=problems, notes=notes, files=file_info, derived=derived, photos=photos)


def _cat(a: pd.DataFrame, b: pd.DataFrame, cols: list[str]) -> pd.DataFrame:
    if not len(b):
        return a
    if not len(a):
        return b.reindex(columns=cols).reset_index(drop=True)
    return pd.concat([a.reindex(columns=cols), b.reindex(columns=cols)], ignore_index=True)
