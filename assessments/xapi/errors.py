"""The LRS's refusals: a status code the specification names and a message for the sender."""

from __future__ import annotations


class LRSError(Exception):
    def __init__(self, message: str, status: int = 400):
        super().__init__(message)
        self.message = message
        self.status = status
