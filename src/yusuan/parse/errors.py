"""The one exception a reader raises for a file it cannot read at all."""

from __future__ import annotations


class UnreadableError(Exception):
    """A file that cannot be read as a disclosure. ``reason`` is one sentence in Chinese;
    ``str(error)`` names the file and the reason, ready for the user."""

    def __init__(self, source: str, reason: str) -> None:
        super().__init__(f"{source}：{reason}")
        self.source = source
        self.reason = reason
