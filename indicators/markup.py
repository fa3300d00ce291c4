"""HTML drawn in Python where a page draws hundreds of cells (the monitoring tables): there a
template include, or `format_html` per value, costs more than the rest of the page.

`text` escapes a value exactly as the template engine and `format_html` do
(`conditional_escape`), without their per-call wrapping.
"""

from __future__ import annotations

from html import escape


def text(value: object) -> str:
    """`value` as HTML: as it is when it is HTML already (it has `__html__`, as a SafeString
    has), else escaped with `html.escape`, which is what Django's `escape` runs."""
    if hasattr(value, "__html__"):
        return value.__html__()
    return escape(str(value))
