"""Helpers for tests of a store shared between processes."""
from __future__ import annotations

import hashlib
import shutil
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


HEADER, BLOCK = 3 * 4096, 256 * 1024  # DuckDB's file headers, then its blocks


def zeroed_blocks(path, template):
    """The blocks holding the roster and the users zeroed: the file opens
    (its catalogue is whole) and the first query that reads them fails."""
    from cadre import store, users
    shutil.copy(template, path)
    con = store.connect(path)
    users.add(con, "管理员", "admin", "a long enough password", "test")
    con.execute("checkpoint")
    blocks = {b for t in ("roster", "users")
              for (b,) in con.execute(f"select distinct block_id from pragma_storage_info('{t}') "
                                      "where block_id >= 0").fetchall()}
    con.close()
    assert blocks
    data = bytearray(path.read_bytes())
    for b in blocks:
        data[HEADER + b * BLOCK:HEADER + (b + 1) * BLOCK] = bytes(BLOCK)
    path.write_bytes(bytes(data))
