"""HTML to readable text, shared by the email readers."""

from __future__ import annotations

import re

from inscriptis import get_text
from inscriptis.css_profiles import CSS_PROFILES
from inscriptis.model.config import ParserConfig

from correspond.ingest.text import normalise

_CONFIG = ParserConfig(css=CSS_PROFILES["strict"], display_links=False, display_images=False)
# Outlook HTML declares its own charset in a meta tag; lxml would act on it, but the text
# is already decoded by the time it gets here.
_XML_DECL = re.compile(r"^\s*<\?xml[^>]*>", re.IGNORECASE)


def html_to_text(html: str) -> str:
    """Clean text from an HTML body; an empty string when there is none."""
    html = _XML_DECL.sub("", html.replace("\x00", ""))
    if not html.strip():
        return ""
    try:
        return normalise(get_text(html, _CONFIG))
    except Exception:  # broken markup inscriptis/lxml cannot parse: strip tags instead
        return normalise(re.sub(r"<[^>]+>", " ", html))
