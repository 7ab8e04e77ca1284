"""RTF bodies (Outlook, winmail.dat) to text: de-encapsulate the HTML or text Outlook
wrapped in RTF, else strip the RTF to plain text."""

from __future__ import annotations

import logging

from striprtf.striprtf import rtf_to_text as _strip

from correspond.ingest.html import html_to_text
from correspond.ingest.text import normalise

logging.getLogger("RTFDE").setLevel(logging.CRITICAL)


def rtf_to_text(rtf: bytes | str) -> str:
    raw = rtf.encode("latin-1", errors="replace") if isinstance(rtf, str) else rtf
    try:
        from RTFDE.deencapsulate import DeEncapsulator

        wrapped = DeEncapsulator(raw)
        wrapped.deencapsulate()
        if wrapped.content_type == "html" and wrapped.html:
            html = wrapped.html
            return html_to_text(html if isinstance(html, str) else html.decode("utf-8", "replace"))
        if wrapped.content_type == "text" and wrapped.text:
            text = wrapped.text
            return normalise(text if isinstance(text, str) else text.decode("utf-8", "replace"))
    except Exception:
        pass  # not encapsulated (native RTF) or malformed: fall back to stripping
    try:
        return normalise(_strip(raw.decode("latin-1"), errors="ignore"))
    except Exception:
        return ""
