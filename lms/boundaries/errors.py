from __future__ import annotations


class BadInput(ValueError):
    """An input refused at the boundary; ``message`` is translated and names what is wrong."""

    status = 400

    def __init__(self, message: str, *, status: int = 400):
        super().__init__(message)
        self.message = message
        self.status = status

    def __str__(self) -> str:
        return str(self.message)
