"""Outlook .msg: headers, the body as text, and the attachments (incl. embedded emails).

Old (non-Unicode) .msg files store text in the sender's Windows code page and often do
not say which; extract-msg then assumes ISO-8859-15 and Cyrillic or Japanese comes out
as accented Latin. We work the code page out from the other properties and reopen with
`overrideEncoding`.
"""

from __future__ import annotations

import codecs
import logging
import re
from datetime import datetime
from email.utils import parseaddr

import extract_msg
from extract_msg.enums import ErrorBehavior

from correspond.domain.text import decode
from correspond.errors import UnreadableFile
from correspond.ingest.eml import ENCRYPTED, ReadChild
from correspond.ingest.html import html_to_text
from correspond.ingest.rtf import rtf_to_text
from correspond.ingest.text import normalise
from correspond.records import Attachment, Document

logging.getLogger("extract_msg").setLevel(logging.CRITICAL)

DAMAGED = ("This Outlook message is damaged and cannot be opened; ask the sender to send "
           "it again.")
_OPTIONS: dict[str, object] = {"delayAttachments": False,
                               "errorBehavior": ErrorBehavior.SUPPRESS_ALL}
# Internet code pages (PR_INTERNET_CPID) that name a mail encoding rather than the ANSI
# code page the strings were stored in, mapped to that ANSI code page.
_INTERNET_TO_ANSI = {50220: 932, 50221: 932, 50222: 932, 51932: 932, 20932: 932,
                     50225: 949, 51949: 949, 52936: 936, 936: 936, 28591: 1252,
                     28605: 1252, 20866: 1251, 21866: 1251, 28595: 1251}
# Windows locale id (PR_MESSAGE_LOCALE_ID) to its ANSI code page, for common languages.
_LCID_TO_ANSI = {1041: 932, 1049: 1251, 1058: 1251, 1059: 1251, 1026: 1251, 1087: 1251,
                 1028: 950, 3076: 950, 2052: 936, 4100: 936, 1042: 949, 1032: 1253,
                 1055: 1254, 1037: 1255, 1025: 1256, 1061: 1257, 1062: 1257, 1063: 1257,
                 1066: 1258, 1054: 874, 1045: 1250, 1029: 1250, 1038: 1250, 1051: 1250,
                 1060: 1250, 1050: 1250, 1048: 1250}
_META_CHARSET = re.compile(rb"charset\s*=\s*[\"'\\]*([A-Za-z0-9_.:-]+)", re.IGNORECASE)
_NOT_EMAIL = {
    "IPM.Contact": "This Outlook item is a contact card, not an email, so there is nothing "
                   "to read.",
    "IPM.DistList": "This Outlook item is a contact group, not an email, so there is "
                    "nothing to read.",
}


def read_msg(data: bytes, read_child: ReadChild) -> Document:
    message = _open(data, None)
    try:
        encoding = _ansi_encoding(message)
    except Exception:
        encoding = None
    if encoding:
        message.close()
        message = _open(data, encoding)
    try:
        return _document(message, read_child, encoding)
    except UnreadableFile:
        raise
    except Exception as err:
        raise UnreadableFile(DAMAGED) from err
    finally:
        try:
            message.close()
        except Exception:
            pass


def _open(data: bytes, encoding: str | None):
    options = dict(_OPTIONS)
    if encoding:
        options["overrideEncoding"] = encoding
    try:
        return extract_msg.openMsg(data, strict=False, **options)
    except Exception as err:
        raise UnreadableFile(DAMAGED) from err


def _ansi_encoding(message) -> str | None:
    """The code page an old ANSI .msg stored its strings in, when extract-msg would guess."""
    if message.areStringsUnicode or "3FFD0003" in message.props:
        return None
    candidates: list[int | None] = []
    if "3FDE0003" in message.props:  # PR_INTERNET_CPID
        cpid = int(message.getPropertyVal("3FDE0003"))
        candidates.append(_INTERNET_TO_ANSI.get(cpid, cpid))
    if "3FF10003" in message.props:  # PR_MESSAGE_LOCALE_ID
        candidates.append(_LCID_TO_ANSI.get(int(message.getPropertyVal("3FF10003")) & 0xFFFF))
    for page in candidates:
        if page in (None, 20127, 65001, 1200, 1201):
            continue
        name = "utf-8" if page == 65001 else f"cp{page}"
        try:
            codecs.lookup(name)
        except LookupError:
            continue
        return name
    return None


def _document(message, read_child: ReadChild, encoding: str | None) -> Document:
    class_type = str(getattr(message, "classType", "") or "")
    if class_type.upper().startswith("IPM.NOTE.SMIME") and "MULTIPARTSIGNED" not in \
            class_type.upper():
        raise UnreadableFile(ENCRYPTED)
    text = _body(message, encoding or _code_page(message))
    attachments = _attachments(message, read_child)
    if not text and not attachments:
        for prefix, reason in _NOT_EMAIL.items():
            if class_type.upper().startswith(prefix.upper()):
                raise UnreadableFile(reason)
    name, address = _sender(message)
    return Document(
        format="msg",
        text=text,
        subject=_clean(_get(message, "subject")),
        sender_name=name,
        sender_email=address,
        sent=_date(message),
        attachments=tuple(attachments),
    )


def _get(message, attribute: str):
    try:
        return getattr(message, attribute)
    except Exception:
        return None


def _clean(value) -> str | None:
    if not isinstance(value, str):
        return None
    value = re.sub(r"\s+", " ", value.replace("\x00", "")).strip()
    return value or None


def _code_page(message) -> str | None:
    try:
        encoding = message.stringEncoding
        return None if encoding.lower().startswith("utf-16") else encoding
    except Exception:
        return None


def _body(message, code_page: str | None) -> str:
    plain = _get(message, "body")
    if isinstance(plain, str) and plain.replace("\x00", "").strip():
        return normalise(plain)
    html = _get(message, "htmlBody")  # extract-msg de-encapsulates RTF-wrapped HTML too
    if isinstance(html, bytes) and html.strip(b"\x00 \r\n"):
        text = html_to_text(_decode_html(html, code_page, message))
        if text:
            return text
    rtf = _get(message, "rtfBody")
    if isinstance(rtf, bytes) and rtf:
        return rtf_to_text(rtf)
    return ""


def _decode_html(html: bytes, code_page: str | None, message) -> str:
    """HTML bytes may declare a charset they are not in (Outlook writes "utf-8" over
    cp1251 bytes), so try the declaration, UTF-8, then the message's own code page."""
    declared = _META_CHARSET.search(html[:4096])
    candidates = [declared.group(1).decode("ascii", "ignore") if declared else None, "utf-8"]
    internet = _get(message, "props")
    if code_page:
        candidates.append(code_page)
    elif internet is not None and "3FDE0003" in internet:
        candidates.append(f"cp{message.getPropertyVal('3FDE0003')}")
    return decode(html, *candidates).text


def _sender(message) -> tuple[str | None, str | None]:
    raw = _clean(_get(message, "sender"))
    if not raw:
        return None, None
    written, address = parseaddr(raw)
    name = (_clean(written) or "").strip('"\' ') or None
    if "@" not in address:
        return name or raw, None  # Exchange (X.500) senders have no SMTP address
    return name, address


def _date(message) -> datetime | None:
    value = _get(message, "date")
    return value if isinstance(value, datetime) and value.year >= 1970 else None


def _attachments(message, read_child: ReadChild) -> list[Attachment]:
    try:
        items = list(message.attachments)
    except Exception:
        return []
    found: list[Attachment] = []
    for index, item in enumerate(items):
        try:
            attachment = _attachment(item, index, read_child)
        except Exception:
            attachment = Attachment(name=f"attachment-{index + 1}", content_type=None,
                                    data=b"", problem="This attachment is damaged and "
                                                      "could not be opened.")
        if attachment is not None:
            found.append(attachment)
    return found


def _attachment(item, index: int, read_child: ReadChild) -> Attachment | None:
    name = _attachment_name(item, index)
    mimetype = _get(item, "mimetype")
    data = _get(item, "data")
    if isinstance(data, bytes):
        if _is_inline_image(item, mimetype, name):
            return None
        return read_child(data, name, mimetype)
    if data is not None and hasattr(data, "exportBytes"):  # an embedded Outlook message
        if not name.lower().endswith((".msg", ".eml")):
            name += ".msg"
        try:
            payload = data.exportBytes()
        except Exception:
            return Attachment(name=name, content_type="application/vnd.ms-outlook", data=b"",
                              problem="This attached email is damaged and could not be "
                                      "opened.")
        return read_child(payload, name, "application/vnd.ms-outlook")
    return Attachment(name=name, content_type=mimetype, data=b"",
                      problem="This attachment has no content in the email, so it could "
                              "not be read.")


def _attachment_name(item, index: int) -> str:
    for attribute in ("longFilename", "displayName", "shortFilename", "name"):
        value = _clean(_get(item, attribute))
        if value:
            return value
    data = _get(item, "data")
    subject = _clean(_get(data, "subject")) if data is not None else None
    return f"{subject}.msg" if subject else f"attachment-{index + 1}"


def _is_inline_image(item, mimetype, name: str) -> bool:
    is_image = (isinstance(mimetype, str) and mimetype.startswith("image/")) or \
        name.lower().endswith((".png", ".jpg", ".jpeg", ".gif", ".bmp", ".emz", ".wmz"))
    return is_image and bool(_get(item, "hidden") or _get(item, "contentId"))
