"""RFC 822 email (.eml): headers, the body as text, and the attachments.

The body is text/plain when there is one, else HTML made into text. Charsets in the wild
are often missing or wrong, so decoding falls back rather than fails.
"""

from __future__ import annotations

import base64
import binascii
import email
import quopri
import re
from collections.abc import Callable
from datetime import datetime
from email import policy
from email.message import EmailMessage, Message
from email.utils import getaddresses, parsedate_to_datetime

import tnefparse

from correspond.domain.dates import parse_sent_time
from correspond.domain.text import decode
from correspond.errors import UnreadableFile
from correspond.ingest.html import html_to_text
from correspond.ingest.rtf import rtf_to_text
from correspond.ingest.text import normalise
from correspond.records import Attachment, Document

ReadChild = Callable[[bytes, str, "str | None"], Attachment]

ENCRYPTED = ("This email is encrypted, so it cannot be read; ask the sender to send it "
             "unencrypted.")
# Names some mailers give a charset that Python knows by another, wider, name.
_CHARSET_ALIASES = {"gb2312": "gb18030", "gbk": "gb18030", "x-gbk": "gb18030",
                    "shift_jis": "cp932", "shift-jis": "cp932", "x-sjis": "cp932",
                    "ks_c_5601-1987": "cp949", "euc-kr": "cp949", "big5": "big5hkscs",
                    "iso-8859-8-i": "iso-8859-8", "us-ascii": "utf-8", "ascii": "utf-8",
                    "iso-8859-1": "cp1252", "latin1": "cp1252", "unknown-8bit": "utf-8",
                    "x-unknown": "utf-8"}
_SPACE = re.compile(r"\s+")


def read_eml(data: bytes, read_child: ReadChild) -> Document:
    try:
        message = email.message_from_bytes(data, policy=policy.default)
    except Exception as err:
        raise UnreadableFile("This email is damaged and cannot be opened; ask the sender "
                             "to send it again.") from err
    return message_document(message, read_child)


def message_document(message: Message, read_child: ReadChild) -> Document:
    """A Document from a parsed message (also used for forwarded message/rfc822 parts)."""
    if _is_encrypted(message):
        raise UnreadableFile(ENCRYPTED)
    bodies: list[Message] = []
    parts: list[Message] = []
    _walk(message, bodies, parts)
    texts = [_part_text(part) for part in bodies]
    attachments: list[Attachment] = []
    for part in parts:
        if _is_tnef(part):
            tnef_text, tnef_attachments = _read_tnef(_payload(part), read_child)
            texts.append(tnef_text)
            attachments.extend(tnef_attachments)
            continue
        attachments.append(read_child(_payload(part), _part_name(part, len(attachments)),
                                      part.get_content_type()))
    name, address = _sender(message)
    return Document(
        format="eml",
        text=normalise("\n\n".join(text for text in texts if text.strip())),
        subject=_header(message, "subject"),
        sender_name=name,
        sender_email=address,
        sent=_date(message),
        attachments=tuple(attachments),
    )


def _is_encrypted(message: Message) -> bool:
    ctype = message.get_content_type()
    if ctype == "multipart/encrypted":
        return True
    if ctype in ("application/pkcs7-mime", "application/x-pkcs7-mime"):
        smime_type = str(message.get_param("smime-type", "") or "").lower()
        return smime_type != "signed-data"
    return False


def _walk(part: Message, bodies: list[Message], attachments: list[Message]) -> None:
    """Sort the leaves into body text parts and attachments, keeping one alternative."""
    maintype = part.get_content_maintype()
    if maintype == "message" and part.get_content_subtype() in ("rfc822", "global"):
        attachments.append(part)
        return
    if maintype == "multipart" and not part.is_multipart():
        reparsed = _reparse_multipart(part)  # a boundary the parser could not find
        if reparsed is None:
            return
        part = reparsed
    if part.is_multipart():
        children = _children(part)
        if part.get_content_subtype() == "alternative" and children:
            _walk(_best_alternative(children), bodies, attachments)
            return
        for child in children:
            _walk(child, bodies, attachments)
        return
    ctype = part.get_content_type()
    disposition = part.get_content_disposition()
    has_name = bool(_raw_filename(part))
    if ctype in ("text/plain", "text/html") and disposition != "attachment" and not has_name:
        bodies.append(part)
    elif maintype == "image" and disposition != "attachment" and (part["content-id"]
                                                                  or not has_name):
        return  # an inline picture in the body: a logo or signature, not a document
    elif ctype in ("message/delivery-status", "text/rfc822-headers"):
        return  # bounce bookkeeping
    else:
        attachments.append(part)


def _reparse_multipart(part: Message) -> Message | None:
    """A multipart whose declared boundary is not in the body: use the boundary the body
    actually has, or failing that read the whole body as text."""
    raw = part.get_payload()
    if not isinstance(raw, str):
        return None
    data = raw.encode("utf-8", "surrogateescape")
    found = re.search(rb"^--([^\s]{1,200}?)\s*$", data, re.M)
    if found:
        boundary = found.group(1).decode("ascii", "replace").replace('"', "")
        header = f'Content-Type: {part.get_content_type()}; boundary="{boundary}"\r\n\r\n'
        try:
            fixed = email.message_from_bytes(header.encode() + data, policy=policy.default)
            if fixed.is_multipart() and _children(fixed):
                return fixed
        except Exception:
            pass
    kind = "html" if b"<html" in data[:4096].lower() else "plain"
    text = EmailMessage()
    text["Content-Type"] = f"text/{kind}; charset=utf-8"
    text.set_payload(raw)
    return text


def _children(part: Message) -> list[Message]:
    payload = part.get_payload()
    return [child for child in payload if isinstance(child, Message)] \
        if isinstance(payload, list) else []


def _best_alternative(children: list[Message]) -> Message:
    for wanted in ("text/plain", "text/html"):
        for child in children:
            if child.get_content_type() == wanted and _part_text(child).strip():
                return child
    for child in children:
        if child.is_multipart():
            return child  # e.g. multipart/related holding the HTML and its pictures
    return children[-1]


def _payload(part: Message) -> bytes:
    if part.get_content_maintype() == "message":
        # A forwarded email: keep it as the bytes of a whole message.
        inner = part.get_payload()
        inner = inner[0] if isinstance(inner, list) and inner else inner
        if isinstance(inner, Message):
            try:
                whole = inner.as_bytes(policy=policy.default.clone(linesep="\r\n"))
                return _undo_transfer_encoding(part, whole)
            except Exception:
                try:
                    return inner.as_string().encode("utf-8", errors="replace")
                except Exception:
                    return b""
    try:
        decoded = part.get_payload(decode=True)
    except Exception:
        decoded = None
    data = decoded if isinstance(decoded, bytes) else None
    if not data and "uu" in str(part.get("content-transfer-encoding", "")).lower():
        data = _uudecode(part.get_payload())
    if data is None:
        raw = part.get_payload()
        data = raw.encode("utf-8", "surrogateescape") if isinstance(raw, str) else b""
    return data


def _undo_transfer_encoding(part: Message, data: bytes) -> bytes:
    """A forwarded email wrongly sent base64 or quoted-printable (RFC 2046 forbids it):
    the parser took the encoded text for the message, so decode it ourselves."""
    encoding = str(part.get("content-transfer-encoding", "")).strip().lower()
    try:
        if encoding == "base64":
            return base64.b64decode(data.strip(), validate=False)
        if encoding == "quoted-printable":
            return quopri.decodestring(data)
    except (binascii.Error, ValueError):
        pass
    return data


def _uudecode(raw: object) -> bytes:
    """Old mailers' x-uuencode, which the email package does not always undo."""
    if not isinstance(raw, str):
        return b""
    out = bytearray()
    started = False
    for line in raw.splitlines():
        if line.startswith("begin "):
            started = True
        elif line.strip() == "end":
            break
        elif started and line:
            try:
                out += binascii.a2b_uu(line)
            except binascii.Error:
                # Some encoders pad lines oddly; decode as much as the length byte says.
                count = ((ord(line[0]) - 32) & 63) * 4 // 3
                out += binascii.a2b_uu(line[:count + 1])
    return bytes(out)


def _part_text(part: Message) -> str:
    charset = _charset(part)
    text = decode(_payload(part), charset).text
    if part.get_content_type() == "text/html":
        return html_to_text(text)
    return normalise(text)


def _charset(part: Message) -> str | None:
    try:
        charset = part.get_content_charset()
    except Exception:
        return None
    if not charset:
        return None
    charset = charset.strip().strip('"').lower()
    return _CHARSET_ALIASES.get(charset, charset)


def _raw_filename(part: Message) -> str | None:
    try:
        return part.get_filename()
    except Exception:
        return None


def _part_name(part: Message, index: int) -> str:
    name = _raw_filename(part)
    if name:
        name = _fix_surrogates(name)
    elif part.get_content_maintype() == "message":
        inner = part.get_payload()
        inner = inner[0] if isinstance(inner, list) and inner else None
        subject = _header(inner, "subject") if isinstance(inner, Message) else None
        name = f"{subject or 'Forwarded message'}.eml"
    else:
        name = f"attachment-{index + 1}"
    return _SPACE.sub(" ", name).strip() or f"attachment-{index + 1}"


def _fix_surrogates(text: str) -> str:
    """Raw 8-bit header bytes arrive as surrogate escapes; decode them as UTF-8/cp1252."""
    try:
        raw = text.encode("utf-8", "surrogateescape")
    except UnicodeEncodeError:
        return text.encode("utf-8", "replace").decode("utf-8")
    return decode(raw).text


def _header(message: Message | None, name: str) -> str | None:
    if message is None:
        return None
    try:
        value = message.get(name)
        text = str(value) if value is not None else ""
    except Exception:  # an undecodable header: keep what the raw bytes say
        try:
            text = str(message.get_all(name, [""])[0])
        except Exception:
            return None
    text = _SPACE.sub(" ", _fix_surrogates(text).replace("\x00", "")).strip()
    return text or None


def _sender(message: Message) -> tuple[str | None, str | None]:
    try:
        value = message.get("from")
        addresses = getattr(value, "addresses", None)
        if addresses:
            first = addresses[0]
            name = _SPACE.sub(" ", _fix_surrogates(first.display_name or "")).strip(' "')
            address = _fix_surrogates(first.addr_spec or "").strip("<> ")
            return name or None, address or None
        pairs = getaddresses([str(value or "")])
    except Exception:
        pairs = []
    if pairs and (pairs[0][0] or pairs[0][1]):
        name, address = pairs[0]
        return (_SPACE.sub(" ", name).strip(' "') or None, address.strip("<> ") or None)
    return None, None


def _date(message: Message) -> datetime | None:
    """The Date header; in an Outlook message pasted as text, its "Sent:" line."""
    if message.get("date") is None and message.get("sent") is not None:
        return parse_sent_time(str(message.get("sent")))
    try:
        value = message.get("date")
        parsed = getattr(value, "datetime", None) or parsedate_to_datetime(str(value))
    except Exception:
        return None
    if parsed is None or parsed.year < 1970:
        return None  # placeholder dates such as 0001-01-01 mean "unknown"
    return parsed


def _is_tnef(part: Message) -> bool:
    name = (_raw_filename(part) or "").lower()
    return part.get_content_type() in ("application/ms-tnef", "application/vnd.ms-tnef") \
        or name == "winmail.dat"


def _read_tnef(data: bytes, read_child: ReadChild) -> tuple[str, list[Attachment]]:
    """Outlook's winmail.dat: the real body and attachments are wrapped inside it."""
    try:
        tnef = tnefparse.TNEF(data, do_checksum=False)
    except Exception:
        return "", [Attachment(name="winmail.dat", content_type="application/ms-tnef",
                               data=data)]
    text = ""
    try:
        if tnef.body:
            body = tnef.body
            text = normalise(body if isinstance(body, str) else decode(body).text)
        elif tnef.htmlbody:
            html = tnef.htmlbody
            text = html_to_text(html if isinstance(html, str) else decode(html).text)
        elif tnef.rtfbody:
            text = rtf_to_text(tnef.rtfbody)
    except Exception:
        text = ""
    attachments = []
    for index, item in enumerate(getattr(tnef, "attachments", []) or []):
        try:
            name = item.long_filename() or item.name or f"attachment-{index + 1}"
            name = name if isinstance(name, str) else decode(name).text
            payload = item.data if isinstance(item.data, bytes) else b""
        except Exception:
            continue
        attachments.append(read_child(payload, name.strip("\x00 "), None))
    return text, attachments
