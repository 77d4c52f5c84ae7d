"""The one error of the file readers: the file cannot be read as a table."""
from __future__ import annotations


class ReadError(Exception):
    """The file cannot be read as a table; ``code`` names the problem."""

    def __init__(self, code: str, **params):
        super().__init__(code)
        self.code = code
        self.params = params


def mb(n: int) -> str:
    return f"{n / 1024 / 1024:.0f}"
