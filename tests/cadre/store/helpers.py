"""Helpers for tests of a store shared between processes."""
from __future__ import annotations

import hashlib
import subprocess
import sys
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]

HOLDER = """
import sys
from cadre import store
con = store.connect(sys.argv[1])
print("ready", flush=True)
sys.stdin.readline()
con.close()
"""


def cadre(*args, db=None, env=None, timeout=300, preexec_fn=None, input=None):
    cmd = [sys.executable, "-m", "cadre", *args]
    if db is not None:
        cmd += ["--db", str(db)]
    return subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=timeout, env=env,
                          preexec_fn=preexec_fn, input=input)


class Holder:
    """Another process holding the store open until released."""

    def __init__(self, db: Path):
        self.proc = subprocess.Popen([sys.executable, "-c", HOLDER, str(db)], cwd=ROOT,
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        assert self.proc.stdout.readline().strip() == "ready"

    def release(self) -> None:
        if self.proc.poll() is None:
            self.proc.stdin.write("\n")
            self.proc.stdin.flush()
            self.proc.wait(timeout=60)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.release()


def wait_for(condition, timeout: float = 30.0) -> bool:
    """Poll ``condition`` until true or ``timeout`` seconds pass."""
    done = threading.Event()
    deadline = 0.0
    import time
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        done.wait(0.02)
    return condition()


def digest(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()
