"""QR codes: the only module that uses segno (PyPI, pinned), so the library can be swapped."""

from __future__ import annotations

import segno


def qr_svg(data: str, *, size_mm: float = 28.0, title: str = "") -> str:
    """An inline SVG QR code (error correction M) about ``size_mm`` wide, for HTML pages and WeasyPrint PDFs."""
    code = segno.make(data, error="m", micro=False)
    svg = code.svg_inline(
        scale=1, border=2, dark="#1b1f23", title=title or None, svgclass="qr", lineclass=None, omitsize=True
    )
    # segno gives a viewBox without a size: print it at size_mm, the same crisp code at any size.
    return svg.replace("<svg ", f'<svg width="{size_mm}mm" height="{size_mm}mm" role="img" ', 1)
