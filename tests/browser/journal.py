"""What the browser saw while a test ran: its console, page errors, failed
requests and every WebSocket's life (opened, frames' sizes, closed), each
with the time since the page was made. A failed browser test keeps it beside
its screenshot and the server's log (issue 20, item 7): a page that stays
greyed out with an idle server is a page whose connection the browser
thinks is gone, and only the browser can say when and why."""
from __future__ import annotations

import time
from collections import deque

# A frame is one line; a page that draws many charts sends thousands, and
# the end of the story is what a failure needs.
MAX_FRAMES = 400
MAX_LINES = 2000

# Streamlit's app root carries the script's run state; its status widget
# says "Connecting" or "Offline" when the connection is not up.
STATE_JS = """() => {
    const app = document.querySelector('[data-testid="stApp"]');
    const status = document.querySelector('[data-testid="stStatusWidget"]');
    const dialog = document.querySelector('[role="dialog"]');
    return {
        scriptState: app ? app.getAttribute('data-test-script-state') : null,
        connectionState: app ? app.getAttribute('data-test-connection-state') : null,
        status: status ? status.innerText : null,
        dialog: dialog ? dialog.innerText : null,
        disabledInputs: document.querySelectorAll('input:disabled').length,
        url: location.href,
    };
}"""


# Logs every change of the app root's connection and run state to the
# console (so into the journal), from the page's first paint.
WATCH_JS = """(() => {
    const seen = {};
    const look = () => {
        const app = document.querySelector('[data-testid="stApp"]');
        if (!app) return;
        for (const name of ['data-test-connection-state', 'data-test-script-state']) {
            const value = app.getAttribute(name);
            if (seen[name] !== value) {
                seen[name] = value;
                console.log('[journal] ' + name + ' = ' + value);
            }
        }
    };
    new MutationObserver(look).observe(document, {subtree: true, childList: true, attributes: true,
        attributeFilter: ['data-test-connection-state', 'data-test-script-state']});
})();"""


class Journal:
    """Attach to a Playwright page with :meth:`attach`; :meth:`text` is the
    story so far, oldest first."""

    def __init__(self) -> None:
        self.start = time.monotonic()
        self.lines: deque[str] = deque(maxlen=MAX_LINES)
        self.frames: deque[str] = deque(maxlen=MAX_FRAMES)
        self.frame_count = 0
        self.received = 0             # frames the page received, and when the last came
        self.last_received = 0.0

    def _at(self) -> str:
        return f"{time.monotonic() - self.start:9.3f}s"

    def note(self, what: str) -> None:
        self.lines.append(f"{self._at()} {what}")

    def attach(self, page) -> "Journal":
        page._cadre_journal = self   # for conftest.click_for_a_run
        page.add_init_script(WATCH_JS)
        page.on("console", lambda m: self.note(f"console.{m.type}: {m.text}"))
        page.on("pageerror", lambda e: self.note(f"pageerror: {e}"))
        page.on("crash", lambda _p: self.note("page crashed"))
        page.on("framenavigated", lambda f: self.note(f"navigated: {f.url}") if f.parent_frame is None else None)
        page.on("requestfailed", lambda r: self.note(f"request failed: {r.method} {r.url} {r.failure}"))
        page.on("response", lambda r: self.note(f"http {r.status}: {r.request.method} {r.url}")
                if r.status >= 400 else None)
        page.on("websocket", self._websocket)
        return self

    def _websocket(self, ws) -> None:
        url = ws.url
        self.note(f"websocket opened: {url}")
        ws.on("close", lambda _w: self.note(f"websocket closed: {url}"))
        ws.on("socketerror", lambda err: self.note(f"websocket error: {url} {err}"))
        ws.on("framesent", lambda payload: self._frame("sent", payload))
        ws.on("framereceived", lambda payload: self._frame("received", payload))

    def _frame(self, direction: str, payload) -> None:
        self.frame_count += 1
        if direction == "received":
            self.received += 1
            self.last_received = time.monotonic()
        self.frames.append(f"{self._at()} frame {direction} {len(payload)} bytes")

    def text(self, page=None) -> str:
        out = list(self.lines)
        if self.frame_count > len(self.frames):
            out.append(f"(the first {self.frame_count - len(self.frames)} frames left out)")
        out.extend(self.frames)
        out.sort(key=lambda line: float(line.split("s", 1)[0]) if line[:1] in " 0123456789" else -1.0)
        if page is not None:
            try:
                out.append(f"{self._at()} state at the end: {page.evaluate(STATE_JS)}")
            except Exception as e:  # noqa: BLE001 - the page may be gone; say so
                out.append(f"{self._at()} state at the end: unreadable ({e})")
        return "\n".join(out) + "\n"
