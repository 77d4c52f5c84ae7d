"""The store's side of reading an upload: what the office's data already
knows (section names, accepted corrections, saved column mappings), photos
from 任免审批表 files, and the review of derived rows before they load."""
from __future__ import annotations

import json

import pandas as pd

from cadre import store
from cadre.ingest import mapping as M
from cadre.ingest.derive import EDITABLE, _key_value
from cadre.ingest.lrmx import photo_kind
from cadre.ingest.people import FullUpload, read_all


def sections(con) -> list[str]:
    """The office's own section names (none while the store holds the demo)."""
    demo = store.query(con, "store_get_meta", key="holds_demo")
    if len(demo) and demo.iloc[0]["value"] == "true":
        return []
    return store.query(con, "intake_sections")["name"].tolist()


def corrections(con) -> dict:
    df = store.query(con, "intake_corrections")
    return {(p, c, d): v for p, c, d, v in df.itertuples(index=False, name=None)}


def saved_mapping(con, sig: str) -> M.Mapping | None:
    df = store.query(con, "mapping_get", signature=sig)
    if not len(df):
        return None
    r = df.iloc[0]
    return M.Mapping(r["dataset"], r["form"], json.loads(r["mapping"]), json.loads(r["value_maps"]),
                     r["signature"], json.loads(r["headers"]))


def save_mapping(con, m: M.Mapping) -> None:
    with store.transaction(con) as cur:
        store.execute(cur, "mapping_save", signature=m.signature, dataset=m.dataset, form=m.form,
                      headers=json.dumps(m.headers, ensure_ascii=False),
                      mapping=json.dumps(m.mapping, ensure_ascii=False),
                      value_maps=json.dumps(m.value_maps, ensure_ascii=False))


def read(con, settings: dict, files, store_roster, lang="zh", office=None, accept_derived=False,
         mapping: M.Mapping | None = None, store_latest=None, store_moves=None) -> FullUpload:
    """Every file of an upload read against what the store knows."""
    return read_all(files, settings=settings, store_roster=store_roster, lang=lang, office=office,
                    accept_derived=accept_derived, sections=sections(con), corrections=corrections(con),
                    transform=M.make_transform(lambda sig: saved_mapping(con, sig), mapping),
                    store_latest=store_latest, store_moves=store_moves)


def land_photos(cur, upload, batch_id: int) -> int:
    photos = getattr(upload, "photos", None) or {}
    if not photos:
        return 0
    frame = pd.DataFrame({"person_id": list(photos), "mime": [photo_kind(b) for b in photos.values()],
                          "photo": [bytes(b) for b in photos.values()]})
    cur.register("staged_photos", frame)
    store.execute(cur, "intake_insert_photos", batch_id=batch_id)
    cur.unregister("staged_photos")
    return len(frame)


def person_photo(con, person_id: str) -> tuple[str, bytes] | None:
    df = store.query(con, "intake_person_photo", person_id=person_id)
    if not len(df):
        return None
    return df.iloc[0]["mime"], bytes(df.iloc[0]["photo"])


def save_corrections(con, derived_roster: pd.DataFrame, edited: pd.DataFrame) -> int:
    """Remember the cells a user changed on the review table: (person,
    column, derived value) -> accepted value. Rows are matched by person_id."""
    if not len(edited):
        return 0
    base = derived_roster.set_index("person_id")
    ed = edited.set_index("person_id")
    ed = ed[ed.index.isin(base.index)]
    rows = []
    for col in EDITABLE:
        if col not in ed.columns:
            continue
        before = base.loc[ed.index, col].map(_key_value)
        after = ed[col].map(_key_value)
        changed = before != after
        for pid in ed.index[changed.to_numpy()]:
            rows.append((pid, col, before[pid], after[pid]))
    if not rows:
        return 0
    frame = pd.DataFrame(rows, columns=["person_id", "column_name", "derived", "value"])
    with store.transaction(con) as cur:
        cur.register("staged_corrections", frame)
        store.execute(cur, "intake_save_corrections")
        cur.unregister("staged_corrections")
    return len(frame)
