"""The one PDF printer: every PDF the product writes (the review pack, the
公示 notice) is an HTML document printed here by the system Chromium, its
text set in the print font.

Chromium embeds a CFF-outline CJK font (Noto Sans/Serif CJK) as Type 3 with
a ToUnicode map that picks the Kangxi radical for shared glyphs (人 comes
out as ⼈ U+2F08 when the text is copied or searched); a TrueType-outline
CJK font is embedded as a real CID TrueType font and extracts as written.
WenQuanYi Zen Hei (Debian fonts-wqy-zenhei, installed by scripts/setup.sh)
is one; its synthetic bold is embedded the same way.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

PRINT_FONT = "WenQuanYi Zen Hei"
PRINT_FONT_STACK = f'"{PRINT_FONT}", sans-serif'
CHROMIUM = os.environ.get("CADRE_CHROMIUM", "/usr/bin/chromium")
TIMEOUT_S = 120

# Set before any page style, and marked important, so that no document's own
# font-family can send text back to a font that extracts wrongly.
_PRINT_STYLE = f"<style>html, body, body * {{ font-family: {PRINT_FONT_STACK} !important; }}</style>"


def chromium(args: list[str], workdir: Path) -> None:
    """Run headless Chromium with ``args`` (a private profile under ``workdir``)."""
    exe = CHROMIUM if os.path.exists(CHROMIUM) else (shutil.which("chromium") or CHROMIUM)
    cmd = [exe, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
           "--disable-background-networking", "--disable-component-update", "--disable-sync",
           "--allow-file-access-from-files", f"--user-data-dir={Path(workdir) / 'chromium-profile'}", *args]
    done = subprocess.run(cmd, capture_output=True, timeout=TIMEOUT_S)
    if done.returncode != 0:
        raise RuntimeError(f"chromium failed ({done.returncode}): {done.stderr.decode(errors='replace')[-500:]}")


def print_pdf(html_doc: str, out: Path, workdir: Path, name: str = "print") -> Path:
    """Print an HTML document to ``out`` as a PDF with Chromium, its text set
    in PRINT_FONT (real embedded fonts; the text extracts as written)."""
    workdir = Path(workdir)
    head = html_doc.find("<head>")
    doc = (html_doc[:head + 6] + _PRINT_STYLE + html_doc[head + 6:]) if head >= 0 else _PRINT_STYLE + html_doc
    page = workdir / f"{name}.html"
    page.write_text(doc, encoding="utf-8")
    out = Path(out).resolve()
    out.parent.mkdir(parents=True, exist_ok=True)
    chromium(["--no-pdf-header-footer", "--print-to-pdf-no-header", f"--print-to-pdf={out}",
              page.resolve().as_uri()], workdir)
    if not out.is_file():
        raise RuntimeError("chromium wrote no PDF")
    return out


def pdf_bytes(html_doc: str, name: str = "print") -> bytes:
    """``print_pdf`` in a private temporary folder, as bytes."""
    with tempfile.TemporaryDirectory(prefix=f"cadre-{name}-") as tmp:
        work = Path(tmp)
        return print_pdf(html_doc, work / f"{name}.pdf", work, name=name).read_bytes()
