"""A drafted letter (.docx) as HTML, for the desk to show beside the Approve button.

    docx_to_html(path) -> "<p>Sample Member MP</p>..."

A draft may be a file a person uploaded, so its content is untrusted. The package is
checked within the zip limits before mammoth unpacks it (a zip bomb is refused at once);
mammoth escapes the text and opens no file or address the letter links to; the
document's own embedded style map is ignored (it could turn paragraphs into <script>);
images are kept only as PNG, JPEG or GIF data: URIs, and one too large to send with the
page is shown as "[picture not shown: too large]"; and the result passes nh3's
allow-list of tags and attributes, so links such as javascript: and anything else
unexpected cannot reach the page.
"""

from __future__ import annotations

import base64
import re
from functools import lru_cache
from pathlib import Path
from typing import Any

from correspond.errors import CorrespondError
from correspond.files.word_package import (
    PackageProblem,
    PackageTooLarge,
    check_package,
    open_package,
)

# mammoth's defaults already map Word's Heading 1-6 to <h1>-<h6> and bold to <strong>.
_STYLE_MAP = """
p[style-name='Title'] => h1:fresh
p[style-name='Subtitle'] => h2:fresh
u => u
"""

_IMAGE_TYPES = frozenset({"image/png", "image/jpeg", "image/gif"})
# Each picture is sent inside the page, a third larger as base64: a letter's logo or
# signature is tens of kilobytes, a photograph a few megabytes at most.
MAX_PREVIEW_IMAGE_BYTES = 2 * 1024 * 1024
MAX_PREVIEW_IMAGES_BYTES = 8 * 1024 * 1024  # all the pictures of one letter together
TOO_LARGE_PICTURE = "[picture not shown: too large]"

# Tags mammoth makes from a letter, with the attributes each may keep; nh3 (the ammonia
# sanitiser) drops everything else and keeps the text of dropped tags.
_TAGS = frozenset({
    "p", "h1", "h2", "h3", "h4", "h5", "h6", "strong", "em", "u", "s", "sub", "sup", "br",
    "ul", "ol", "li", "table", "thead", "tbody", "tr", "td", "th", "a", "img"})
_ATTRIBUTES = {"td": {"colspan", "rowspan"}, "th": {"colspan", "rowspan"},
               "a": {"href"}, "img": {"src", "alt"}}
_URL_SCHEMES = frozenset({"http", "https", "mailto", "data"})


class PreviewProblem(CorrespondError):
    """A letter cannot be shown as a preview because it is not a readable .docx."""


def docx_to_html(path: Path) -> str:
    """The letter's body as an HTML fragment that is safe to insert into a page.

    Headers and footers are not shown. Raises PreviewProblem when `path` is not a
    readable Word document.
    """
    path = Path(path)
    try:
        stat = path.stat()
    except OSError as err:
        raise _unreadable(path) from err
    # Converting takes about a quarter of a second (mammoth parses every part of the
    # file); a letter only changes by being replaced, which changes its time and size.
    return _converted(path, stat.st_mtime_ns, stat.st_size)


@lru_cache(maxsize=256)
def _converted(path: Path, _mtime_ns: int, _size: int) -> str:
    import mammoth  # loaded only when a letter is previewed

    _check_within_limits(path)
    try:
        with path.open("rb") as stream:
            result = mammoth.convert_to_html(
                stream, style_map=_STYLE_MAP, include_embedded_style_map=False,
                external_file_access=False,
                convert_image=mammoth.images.img_element(_ImageSources()))
    except Exception as err:  # missing file, zip, XML and docx errors vary
        raise _unreadable(path) from err
    return _clean(result.value)


def _check_within_limits(path: Path) -> None:
    try:
        with open_package(path) as package:
            check_package(package)
    except PackageTooLarge as problem:
        raise PreviewProblem(f"{path.name} cannot be shown because it is too large: "
                             f"{problem.reason}.") from problem
    except (PackageProblem, OSError) as err:
        raise _unreadable(path) from err


def _unreadable(path: Path) -> PreviewProblem:
    return PreviewProblem(
        f"{path.name} cannot be shown: it is not a readable Word document (.docx).")


class _ImageSources:
    """The data: URI of each picture of one letter, while within the limits."""

    def __init__(self) -> None:
        self.budget = MAX_PREVIEW_IMAGES_BYTES

    def __call__(self, image: Any) -> dict[str, str]:
        # Any other type (SVG, for one, can carry script) is left without a source, and
        # _clean then drops the image.
        content_type = (image.content_type or "").lower()
        if content_type not in _IMAGE_TYPES:
            return {}
        limit = min(MAX_PREVIEW_IMAGE_BYTES, self.budget)
        with image.open() as stream:
            data = stream.read(limit + 1)  # never more than one over the limit
        if len(data) > limit:
            return {"alt": TOO_LARGE_PICTURE}
        self.budget -= len(data)
        return {"src": f"data:{content_type};base64,{base64.b64encode(data).decode('ascii')}"}


def _clean(fragment: str) -> str:
    import nh3

    return nh3.clean(fragment, tags=set(_TAGS), attributes=_ATTRIBUTES,
                     url_schemes=set(_URL_SCHEMES), attribute_filter=_keep_attribute,
                     link_rel="noopener noreferrer")


def _keep_attribute(tag: str, name: str, value: str) -> str | None:
    # data: URIs only as an image's own picture of an allowed type, never as a link.
    if name == "href" and value.strip().lower().startswith("data:"):
        return None
    if name == "src" and not _SAFE_IMAGE_SOURCE.match(value):
        return None
    return value


_SAFE_IMAGE_SOURCE = re.compile(r"^data:image/(?:png|jpeg|gif);base64,[A-Za-z0-9+/=]*$")


__all__ = ["MAX_PREVIEW_IMAGE_BYTES", "TOO_LARGE_PICTURE", "PreviewProblem",
           "docx_to_html"]
