"""How a batch's file name is said in a language: its own module so that the
audit log (which names the files of an upload) and the batches (which write
that log) need not import one another."""
from __future__ import annotations

import re

from cadre import i18n


def file_label(name: str, lang: str) -> str:
    """A batch's file name as shown in ``lang``: the name the app gives an
    appraisal meeting's batch (stored in Chinese, 「评定会 2001」) is said in
    ``lang`` ("Appraisal meeting 2001"); an uploaded file keeps its own name."""
    template = i18n.t("appraisal.batch_name", i18n.DEFAULT_LANGUAGE, period="\0")
    head, _, tail = template.partition("\0")
    period = name[len(head):len(name) - len(tail)] if name.startswith(head) and name.endswith(tail) else None
    if lang == i18n.DEFAULT_LANGUAGE or not period or not re.fullmatch(r"\d{4}(Q[1-4])?", period):
        return name
    return i18n.t("appraisal.batch_name", lang, period=i18n.format_period(period, lang))
