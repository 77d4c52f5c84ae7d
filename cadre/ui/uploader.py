"""The file uploader in the UI language.

Streamlit 1.67's st.file_uploader writes its button ("Upload") and its limit
line ("200MB per file • CSV, XLSX") in English and takes no text for them
(streamlit/streamlit#13500 asks for it). A small script, run in the page by
st.html, puts the catalogue's words in their place and keeps them there when
React redraws the dropzone. Only those two texts are touched, and the
browser's own refusal of a file above the server's cap ("File must be
100.0MB or smaller."), which the app never sees: the app's limit is checked
by the app (cadre.ui.upload.too_large), in the user's language and audited.
"""
from __future__ import annotations

import json

import streamlit as st

from cadre.ui.context import Context

_SCRIPT = """
<script>
(function () {
  window.__cadreUploader = %s;
  if (window.__cadreUploaderObserver) { window.__cadreUploaderFix(document); return; }
  function setText(node, text) { if (node.nodeValue !== text) node.nodeValue = text; }
  function fix(root) {
    const words = window.__cadreUploader;
    // a file above the server's cap is refused by the browser before the app sees it
    root.querySelectorAll('[data-testid="stFileUploader"]').forEach(function (box) {
      const walk = document.createTreeWalker(box, NodeFilter.SHOW_TEXT);
      let n;
      while ((n = walk.nextNode())) {
        if (/^\\s*File must be .* or smaller\\.?\\s*$/.test(n.nodeValue)) setText(n, words.over_cap);
      }
    });
    root.querySelectorAll('[data-testid="stFileUploaderDropzone"]').forEach(function (zone) {
      zone.querySelectorAll('button').forEach(function (button) {
        const walk = document.createTreeWalker(button, NodeFilter.SHOW_TEXT);
        let n;
        while ((n = walk.nextNode())) { if (n.nodeValue.trim() === 'Upload') setText(n, words.button); }
      });
      zone.querySelectorAll('[data-testid="stFileUploaderDropzoneInstructions"]').forEach(function (box) {
        const walk = document.createTreeWalker(box, NodeFilter.SHOW_TEXT);
        let n, first = true;
        while ((n = walk.nextNode())) {
          if (!n.nodeValue.trim()) continue;
          setText(n, first ? words.limit : '');
          first = false;
        }
      });
    });
  }
  window.__cadreUploaderFix = fix;
  window.__cadreUploaderObserver = new MutationObserver(function () { fix(document); });
  window.__cadreUploaderObserver.observe(document.body, {childList: true, subtree: true, characterData: true});
  fix(document);
})();
</script>
"""


def localise(ctx: Context) -> None:
    """Call once on a page that shows a file uploader."""
    from cadre.ui import upload
    cap = int(st.get_option("server.maxUploadSize"))
    words = {"button": ctx.t("leader.upload.button"),
             "limit": ctx.t("leader.upload.limit", mb=upload.limit_mb(ctx)),
             "over_cap": ctx.t("upload_limit.over_cap", cap=cap, limit=upload.limit_mb(ctx))}
    st.html(_SCRIPT % json.dumps(words, ensure_ascii=False), unsafe_allow_javascript=True)
