"""Mapped statements become competency evidence (filled in by the mapping work)."""

from __future__ import annotations


def statements_to_evidence(rows) -> None:
    return None
