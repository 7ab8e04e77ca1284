"""Split a letter's text into its blocks: letterhead, sender, recipient, date line,
references, salutation, subject, body, tables, closing, signature, enclosures, footer,
disclaimer (and the header lines of an email pasted into the text).

A letter is read in the order it is written:

- The *heading* is everything before the salutation ("Dear ...", "Hi", "Good morning",
  "To whom it may concern"); with no salutation it runs until the first line of prose.
  In it, line by line: a line that is only a date is the date line; "Our ref", "Your
  ref", "Case no." lines are references; "Re:"/"Subject:" lines are the subject;
  labelled "To:"/"From:"/"Date:" lines are the recipient, the sender and the date; a
  From/Sent/To/Subject block at the top is an email header.
- The rest of the heading falls into runs of lines, broken by blank lines, by the
  lines above and after a postcode line (an address block ends at its postcode, and the
  phone and email lines after it). A run that names an MP, Parliament or a constituency
  is the *letterhead*, and so are the runs at the top naming a councillor or an
  organisation ("Cllr", "Ward", "Advocacy", "Registered charity"), with the phone and
  email lines beside them. An address block (short lines, one ending in a UK postcode)
  at the top naming none of these is the *sender*: the writer's own address, i.e. the
  family's when a parent writes. A run of two lines or more, or with a postcode, that
  names the council, its officers or buildings ("Council", "Director", "Head of",
  "SEND", "Service", "Team", "Town Hall", "Civic Centre", "County Hall", "PO Box") is
  the *recipient*; failing that, the one address block between the letterhead or sender
  and the salutation is. Organisation words that are part of a street or building name
  ("Council Cottages", "Trust House") do not count.
- A salutation after a line of prose is not the letter's (it is in something quoted).
  Just after the salutation, a "Re:" line, or up to four short lines that end no
  sentence and are followed by a new block or a new sentence ("Adam Khan, DOB
  03/04/2015"), are the subject.
- The body runs to the closing ("Yours sincerely", "Kind regards", "Many thanks" alone
  on a line). After it come the signature, then "Enc."/"cc" lines, footers and
  disclaimers; a "PS" or a paragraph of prose there is body. With no closing line, a
  last few short lines naming a role ("Caseworker", "MP") are the signature.
- Two or more rows of tab-separated cells under a header row (short labels, no
  digits) are a table, its records in `Part.rows` (a two-column table with labels down
  the left is one record). Notices about the message itself ("intended recipient",
  "received this email in error") are disclaimers wherever they are, sentence by
  sentence; "Page 2 of 3" is a footer.
- A pasted email chain is split at each "Original Message" line, "On ... wrote:" line
  and From/Sent header; each message is read as above, its parts numbered by `depth`.
- A reader's layout hints (`Region`) are trusted: a page footer is a footer (or a
  disclaimer), a page header at the top is the letterhead (or a family's address, the
  sender), a table region is a table when it has a header row (otherwise it was a
  layout table and its cells are read as lines of their own), and a region's edge ends
  a block as a blank line does.

Policy: where the structure is unclear, a stretch is "body". A wrong "recipient",
"letterhead", "footer" or "disclaimer" label hides what it holds from the extractor (the
family's postcode above all), while "body" only means the text is read as ordinary
prose. So an address block is "recipient" only on the rules above, and when two
unmarked address blocks could each be it, neither is.

Spans are offsets into the text given; parts are in order, do not overlap and cover
every non-blank character.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from itertools import count

from correspond.domain.dates import ANY_DATE
from correspond.domain.postcodes import INWARD, INWARD_LOWER, OUTWARD, OUTWARD_LOWER
from correspond.domain.text import EMAIL
from correspond.records import Part, PartKind, Region, Span

# --- Line patterns -------------------------------------------------------------------

_SALUTATION = re.compile(
    r"(?i:dear\b|hi\b|hello\b|good\s+(?:morning|afternoon|evening)\b|to\s+whom\s+it\s+may"
    r"\s+concern\b|greetings\b)")
_CLOSING = re.compile(
    r"(?i:(?:yours\s+(?:sincerely|faithfully|truly|ever)|(?:yours\s+)?sincerely(?:\s+yours)?"
    r"|(?:with\s+)?(?:(?:very\s+)?kind(?:est)?|best|warm(?:est)?|many)\s+(?:regards|wishes|"
    r"thanks)|regards|best|(?:with\s+)?(?:many\s+)?thanks(?:\s+(?:again|very\s+much))?|"
    r"thank\s+you(?:\s+(?:again|very\s+much|for\s+your\s+help))?|cheers|all\s+the\s+best|"
    r"take\s+care|respectfully))[\s,.!]*")
_REFERENCE_LABEL = (
    r"(?i:(?:(?:our|your|my|mp'?s?|council|case|file|client|the)\s+)*"
    r"(?:ref(?:erence)?s?\b\.?(?:\s*(?:no|number|num)\b\.?)?|case\s*(?:no|number|ref|id)\b\.?)"
    r")\s*[:.\-#]?")
_REFERENCE = re.compile(rf"{_REFERENCE_LABEL}\s*(?P<value>.*)")
_PLEASE_QUOTE = re.compile(r"(?i:please\s+quote\b.{0,60}\d.*|when\s+replying.{0,30}quote\b.*)")
# A reference code: AS/2026/1187, 20260915-MG-07, NM14052, or a short capital word.
_CODE = re.compile(r"[\[(]?(?:[A-Za-z0-9/\-_.]*\d[A-Za-z0-9/\-_.]*|[A-Z]{1,6}[/\-]?)[\])]?[,;]?")
_SUBJECT = re.compile(r"(?:(?i:subject|regarding|concerning|case|ref|reference)\s*:|"
                      r"(?i:re)\s*[:\-]|(?:RE|Re)\s+(?=[A-Z0-9]))\s*\S")
_URGENT_SUBJECT = re.compile(r"(?:URGENT|Urgent)\s*[:\-]\s*\S")
_LABEL = re.compile(r"(?P<label>(?i:from|sent|to|cc|bcc|date|dated|subject|importance|"
                    r"attachments?|sensitivity))\s*:\s*(?P<value>.*)")
_ANY_LABEL = re.compile(r"[A-Z][\w .'’/()&-]{0,30}:(?:\s|$)")
_ENCLOSURE = re.compile(r"(?i:enc(?:l|s|losures?)?\b\.?|c\.?c\.?\b|bcc\b|cop(?:y|ies)\s+to\b|"
                        r"attachments?\s*:|attached\s*:)")
_PAGE_MARK = re.compile(r"(?i:page\s+\d+(?:\s*(?:of|/)\s*\d+)?|-\s*\d+\s*-|"
                        r"continued(?:\s+overleaf)?\.*|/\s*cont(?:inued|d)?\.?|p\.?t\.?o\.?)")
_HANDLING = re.compile(r"(?i:(?:sent\s+)?by\s+(?:e-?mail|post|hand)(?:\s+only)?|private\s+(?:and|&)"
                       r"\s+confidential|strictly\s+(?:private|confidential).*|confidential|"
                       r"urgent|personal|addressee\s+only|without\s+prejudice)[.!:]?")
_WEEKDAY = re.compile(r"(?i:(?:mon|tues|wednes|thurs|fri|satur|sun)day|mon|tue|wed|thu|fri|sat|"
                      r"sun)\.?,?\s+")
_DATE_LABEL = re.compile(r"(?i:date[d]?|sent)\s*[:.]?\s*")
_POSTCODE_END = re.compile(
    rf"\b(?:{OUTWARD}[ \t]*{INWARD}|{OUTWARD_LOWER}[ \t]*{INWARD_LOWER})[.,]?$")
_PHONE = re.compile(r"(?:\+44\s?\(?0?\)?\s?|\(?0)(?:\d[\s\-()]?){8,11}\d")
_WEB = re.compile(r"(?i:https?://\S+|www\.\S+|\S+\.(?:org|gov|co)\.uk\S*|@\w{2,})")
_CONTACT_WORDS = re.compile(r"(?i:tel(?:ephone)?|phone|mob(?:ile)?|fax|e-?mail|web(?:site)?|"
                            r"twitter|x|facebook|instagram|t|e|w|m)\b\.?\s*[:.]?")

_STREET = (r"(?:Road|Rd|Street|St|Avenue|Ave|Lane|Close|Drive|Way|Court|Crescent|Grove|"
           r"Place|Terrace|Gardens|Houses|Cottages|Flats|Estate|Walk|Row|Hill|View|Square|"
           r"Park|Mews|Farm|Yard|House|Lodge|Mansions|Buildings|Cottage|Works|Mill|High|Green|"
           r"Fields?|Common|Meadows?|Gate|Rise|Vale|Valley|Wharf|Quay|Point|Parade|Heights|"
           r"Croft|Chase|Grange|Villas|Towers?)\b")
# An organisation word, unless it is part of a street or building name ("Council
# Cottages", "Trust House"): a family's address has those.
_ORG = rf"\b(?:{{}})\b(?!\s+{_STREET})"
_STREET_LINE = re.compile(r"(?i:flat|apartment|apt|unit)\b|\d")
# Words a sender's printed heading uses that a family's home address does not.
_LETTERHEAD_STRONG = re.compile(
    r"\bMP\b|\bM\.P\.|(?i:member\s+of\s+parliament|house\s+of\s+commons|\bparliament\b|"
    r"\bconstituency\b)")
_LETTERHEAD_WEAK = re.compile(
    _ORG.format(r"Councill?or|COUNCILL?OR|Cllr|CLLR|Caseworker|Advoca(?:cy|te)|ADVOCACY|Ltd|"
                r"LTD|Limited|LLP|Solicitors?|Trust|Foundation|Charity|Partnership") +
    r"|(?i:registered\s+charity|charity\s+no)|\b(?:Ward|Division)$|(?i:www\.)")
# Words naming the council, its officers and buildings: the recipient of the letter.
_RECIPIENT = re.compile(
    _ORG.format(r"Council|COUNCIL|Borough|BOROUGH|Services?|SERVICES?|Team|TEAM|Directorate|"
                r"Department|School|Academy|College|Authority|Centre") +
    r"|\b(?:Director|DIRECTOR|Head\s+of|HEAD\s+OF|SEND|SENAR|SENCo|SEN|EHC|Headteacher|"
    r"Principal|Officer|Manager|Town\s+Hall|TOWN\s+HALL|Civic\s+(?:Centre|Offices)|County\s+Hall|"
    r"City\s+Hall|Guildhall|P\.?\s?O\.?\s+Box|Children'?s\s+Services|Local\s+Authority|"
    r"Commissioning|Inclusion|Statutory)\b")
_ROLE = re.compile(r"\b(?:MP|Member\s+of\s+Parliament|Caseworker|Councill?or|Cllr|Advocate|"
                   r"Officer|Manager|Assistant|Secretary|Office\s+of|Coordinator|Adviser|"
                   r"Advisor)\b", re.IGNORECASE)
_POSTSCRIPT = re.compile(r"(?i:p\.?\s?s\.?)[\s:.,\-]")

# Wherever they are: notices about the message itself, in words a letter's own
# sentences do not use.
_DISCLAIMER_STRONG = re.compile(
    r"(?i:intended\s+(?:solely\s+|only\s+)?(?:for\s+)?(?:the\s+)?(?:use\s+of\s+the\s+)?"
    r"(?:addressee|recipient)|received\s+this\s+(?:e-?mail|message|letter|"
    r"communication|document)\s+in\s+error|this\s+(?:e-?mail|message|communication)"
    r"(?:\s*\(?and\s+any\s+(?:attachments?|files)(?:\s+\w+)?\)?)?,?\s+(?:is|are|"
    r"may\s+(?:be|contain)|contains?)\s+(?:strictly\s+)?(?:confidential|private|privileged|"
    r"information\s+which)|this\s+letter\s+(?:and\s+any\s+enclosures?\s+)?(?:is|are)\s+"
    r"(?:strictly\s+)?confidential\s+and\s+(?:is\s+)?(?:intended|for)|originated\s+from\s+"
    r"outside|views\s+(?:or\s+opinions\s+)?expressed\s+(?:in\s+this|are\s+those)|"
    r"(?:scanned|checked)\s+for\s+viruses|do\s+not\s+(?:reply|respond)\s+to\s+this\s+"
    r"(?:e-?mail|message|address))")
# After the signature, these words begin a notice too.
_DISCLAIMER_WEAK = re.compile(
    r"(?i:confidential|data\s+protection|gdpr|privacy|personal\s+(?:data|information)|"
    r"monitored|recorded|disclaimer|legally\s+privileged|registered\s+in\s+england|"
    r"unauthori[sz]ed|(?:urgent|emergency)\s+(?:matters?|enquiries|issues|help)|"
    r"(?:please|kindly)\s+(?:notify|inform|tell)\s+the\s+sender)")
# The start of an earlier message quoted or forwarded below this one.
_QUOTE_BREAK = re.compile(
    r"(?i:-{2,}\s*(?:original\s+message|forwarded\s+message|begin\s+forwarded\s+message)"
    r"\s*-*|begin\s+forwarded\s+message:?|on\s.{4,200}\swrote:|_{10,})")

_SENTENCE_END = re.compile(r"[.?!;]['\"’”)]?$")
_LABEL_VOCABULARY = re.compile(
    r"(?i:\b(?:names?|first|surname|forename|last|family|given|dob|d\.o\.b|birth|born|age|"
    r"school|setting|provider|college|year|group|class|address|postcode|ehcp?|plan|gender|"
    r"sex|parent|carer|relationship|upn|nhs|phone|tel|e-?mail|needs?|diagnosis|child|"
    r"children|sibling|pupil|student|young\s+person|reference|status|type)\b)")

_MAX_HEADING_LINE = 120  # characters: longer is prose, not a heading line
_MAX_HEADING_LINES = 25  # letterhead, references, address, date: never more than this


@dataclass
class _Unit:
    """A line of the letter (or one cell of a layout table's row), without its margins."""

    start: int
    end: int
    text: str  # as written, stripped; quote marks (">") removed
    block: int  # units in one block are on consecutive lines, in the same layout region
    region: str | None
    region_id: int | None = None  # which region it is in (kind alone does not tell two apart)
    kind: PartKind | None = None
    table: int | None = None  # which table a table row belongs to
    depth: int = 0  # which message of a pasted email chain
    filler: bool = False  # a line of nothing but quote marks: a blank line of a quotation


def split_letter(text: str, *, regions: Sequence[Region] = ()) -> tuple[Part, ...]:
    """The parts of a letter, in order, covering every non-blank stretch of `text`."""
    units = _split_greetings(_units(text, regions))
    tables = _mark_tables(units, text)
    for depth, (first, last) in enumerate(_messages(units)):
        _classify(units, first, last)
        for unit in units[first:last]:
            unit.depth = depth
    return _parts(units, tables)


# --- Lines and blocks ----------------------------------------------------------------

def _units(text: str, regions: Sequence[Region]) -> list[_Unit]:
    ordered = sorted(regions, key=lambda region: region.span.start)
    starts = [region.span.start for region in ordered]
    units: list[_Unit] = []
    block = 0
    blank = True
    previous_region: object = None
    position = 0
    for raw in text.split("\n"):
        stripped = raw.strip()
        if stripped:
            start = position + len(raw) - len(raw.lstrip())
            region = _region_at(ordered, starts, start)
            if blank or region is not previous_region:
                block += 1
            # Quoted lines ("> ...") are read without their quote marks.
            quoted = stripped.lstrip("> ").strip() if stripped.startswith(">") else stripped
            units.append(_Unit(start, start + len(stripped), quoted or ">", block,
                               region.kind if region else None,
                               id(region) if region else None, filler=not quoted))
            if not quoted:
                units[-1].kind = "body"  # settled in _parts: it takes the kind above it
            previous_region = region
            blank = not quoted
        else:
            blank = True
        position += len(raw) + 1
    return units


def _split_greetings(units: list[_Unit]) -> list[_Unit]:
    """"Dear SEND team, I'm writing on behalf of ...": the greeting ends at the comma."""
    split: list[_Unit] = []
    for unit in units:
        comma = unit.text.find(",")
        if len(unit.text) > 80 and 0 < comma <= 60 and _SALUTATION.match(unit.text):
            base = unit.end - len(unit.text)  # after any quote marks
            after = unit.text[comma + 1:]
            start = base + comma + 1 + len(after) - len(after.lstrip())
            split.append(_Unit(unit.start, base + comma + 1, unit.text[:comma + 1],
                               unit.block, unit.region, unit.region_id))
            split.append(_Unit(start, unit.end, after.strip(), unit.block, unit.region,
                               unit.region_id))
        else:
            split.append(unit)
    return split


def _region_at(regions: Sequence[Region], starts: list[int], offset: int) -> Region | None:
    """The innermost region holding `offset` (regions sorted by start; a region is looked
    for among the few that start last before it, as layout regions nest only shallowly)."""
    last = bisect_right(starts, offset) - 1
    for index in range(last, max(last - 8, -1), -1):
        if offset in regions[index].span:
            return regions[index]
    return None


def _blocks(units: list[_Unit], first: int, last: int) -> list[list[int]]:
    blocks: list[list[int]] = []
    for index in range(first, last):
        if blocks and units[blocks[-1][-1]].block == units[index].block:
            blocks[-1].append(index)
        else:
            blocks.append([index])
    return blocks


# --- Tables --------------------------------------------------------------------------

def _mark_tables(units: list[_Unit], text: str) -> list[tuple[dict[str, str], ...]]:
    """Find tables: a table region with a header row, or (from text alone) two or more
    consecutive tab-separated lines under a header row. A table region without one was a
    layout table: its cells become units of their own, read like lines."""
    tables: list[tuple[dict[str, str], ...]] = []
    fresh_blocks = count((units[-1].block if units else 0) + 1)
    index = 0
    while index < len(units):
        unit = units[index]
        run = [index]
        if unit.region == "table":
            region = unit.region_id
            while run[-1] + 1 < len(units) and \
                    units[run[-1] + 1].region_id == region:
                run.append(run[-1] + 1)
        elif _tabbed_row(text, unit):
            while run[-1] + 1 < len(units) and units[run[-1] + 1].block == unit.block and \
                    units[run[-1] + 1].region != "table" and _tabbed_row(text, units[run[-1] + 1]):
                run.append(run[-1] + 1)
        else:
            index += 1
            continue
        cells = [_cells(text, units[i]) for i in run]
        # Reference and date lines laid out with a tab, or in a table, are still those.
        headings = [_is_reference(units[i].text) or _is_date_line(units[i].text) for i in run]
        rows = None if all(headings) else _records(cells)
        if rows is not None:
            for i in run:
                units[i].kind = "table"
                units[i].table = len(tables)
            tables.append(rows)
            index = run[-1] + 1
        elif unit.region == "table":
            replaced = [piece for i, heading in zip(run, headings)
                        for piece in ([_Unit(units[i].start, units[i].end, units[i].text,
                                             next(fresh_blocks), None)] if heading
                                      else _cell_units(text, units[i], fresh_blocks))]
            units[index:run[-1] + 1] = replaced
            index += len(replaced)
        else:
            index = run[-1] + 1
    return tables


def _tabbed_row(text: str, unit: _Unit) -> bool:
    return "\t" in text[unit.start:unit.end]


def _cells(text: str, unit: _Unit) -> list[str]:
    return [cell.strip() for cell in text[unit.start:unit.end].split("\t")]


def _cell_units(text: str, unit: _Unit, fresh_blocks: Iterator[int]) -> list[_Unit]:
    """A layout table's row as one unit per non-empty cell, each its own block."""
    pieces = []
    offset = unit.start
    for cell in text[unit.start:unit.end].split("\t"):
        stripped = cell.strip()
        if stripped:
            start = offset + len(cell) - len(cell.lstrip())
            pieces.append(_Unit(start, start + len(stripped), stripped, next(fresh_blocks),
                                None))
        offset += len(cell) + 1
    return pieces


def _records(cells: list[list[str]]) -> tuple[dict[str, str], ...] | None:
    """A table's records, header -> cell, or None when the lines are not a data table."""
    if len(cells) < 2 or max(len(row) for row in cells) < 2:
        return None
    header = cells[0]
    width = max(len(row) for row in cells)
    if width == 2 and all(len(row) <= 2 for row in cells) and _is_key_value(cells):
        # A form laid out as a table: labels down the left, one record.
        record = {row[0].rstrip(":").strip(): (row[1] if len(row) > 1 else "")
                  for row in cells if row[0]}
        return (record,)
    data = [row for row in cells[1:] if any(row)]
    if not _is_header(header) or sum(sum(bool(cell) for cell in row) >= 2 for row in data) * 2 \
            < len(data):
        return None  # most rows of a data table fill two cells or more
    names = _header_names(header, width)
    records = []
    for row in cells[1:]:
        if not any(row):
            continue
        records.append({name: (row[i] if i < len(row) else "") for i, name in enumerate(names)})
    return tuple(records) if records else None


def _is_header(row: list[str]) -> bool:
    filled = [cell for cell in row if cell]
    return len(filled) >= 2 and all(
        len(cell) <= 40 and len(cell.split()) <= 6 and not re.search(r"\d", cell)
        and not cell.endswith(":") for cell in filled)


def _is_key_value(cells: list[list[str]]) -> bool:
    labels = [row[0] for row in cells if row and row[0]]
    if not labels or not all(len(label) <= 40 and not re.search(r"\d", label) for label in labels):
        return False
    if all(label.endswith(":") for label in labels):
        return True
    down = sum(bool(_LABEL_VOCABULARY.search(label)) for label in labels[1:])
    across = sum(bool(_LABEL_VOCABULARY.search(cell)) for cell in cells[0][1:])
    return down > across


def _header_names(header: list[str], width: int) -> list[str]:
    names: list[str] = []
    for number in range(width):
        name = header[number] if number < len(header) and header[number] else \
            f"Column {number + 1}"
        while name in names:
            name += " (again)"
        names.append(name)
    return names


# --- Messages of a pasted email chain ------------------------------------------------

def _messages(units: list[_Unit]) -> list[tuple[int, int]]:
    """Index ranges of the messages in the text: a letter is one; a pasted email chain
    starts another at each "Original Message" line, "On ... wrote:" line (also wrapped
    over two lines) or mid-text From/Sent header. The dividing lines are email headers."""
    starts = [0]
    for index, unit in enumerate(units):
        if unit.kind is not None:
            continue
        divider = [index] if _QUOTE_BREAK.fullmatch(unit.text) else []
        if not divider and index > 0 and unit.text.endswith("wrote:") and \
                units[index - 1].text.startswith("On ") and \
                _QUOTE_BREAK.fullmatch(f"{units[index - 1].text} {unit.text}"):
            divider = [index - 1, index]
        for i in divider:
            units[i].kind = "email_header"
        start = divider[0] if divider else index if _header_block_at(units, index) else None
        if start is not None and start > 0 and not (
                starts[-1] == start - 1 and units[start - 1].kind == "email_header"):
            starts.append(start)
    starts = sorted(set(starts))
    return [(start, end) for start, end in zip(starts, starts[1:] + [len(units)]) if start < end]


def _header_block_at(units: list[_Unit], index: int) -> bool:
    """A From: line followed in the same block by Sent:/Date: and To:/Subject: lines."""
    first = _LABEL.fullmatch(units[index].text)
    if not first or first.group("label").lower() != "from":
        return False
    labels = set()
    for unit in units[index + 1:index + 8]:
        if unit.block != units[index].block:
            break
        found = _LABEL.fullmatch(unit.text)
        if found:
            labels.add(found.group("label").lower())
    return bool(labels & {"sent", "date"}) and bool(labels & {"to", "subject"})


# --- Classifying one message ---------------------------------------------------------

def _classify(units: list[_Unit], first: int, last: int) -> None:
    _mark_anywhere(units, first, last)
    cursor = first
    while cursor < last and units[cursor].kind is not None:
        cursor += 1
    # A salutation after the first line of prose is not the letter's: it belongs to
    # something quoted in the body.
    first_prose = next((i for i in range(cursor, last)
                        if units[i].kind is None and _is_prose(units[i].text)), last)
    salutation = _find_salutation(units, cursor, first_prose)
    heading_end = salutation if salutation is not None else _prose_start(units, cursor, last)
    _heading(units, cursor, heading_end)
    body_start = heading_end
    if salutation is not None:
        units[salutation].kind = "salutation"
        body_start = _subject_after_salutation(units, salutation + 1, last)
    closing = _find_closing(units, body_start, last)
    body_end = closing if closing is not None else last
    _body(units, body_start, body_end)
    if closing is not None:
        units[closing].kind = "closing"
        _tail(units, closing + 1, last)
    else:
        _unclosed_signature(units, body_start, last)


def _mark_anywhere(units: list[_Unit], first: int, last: int) -> None:
    """Page footers, notices about the message itself and page numbers, wherever they
    fall. A notice is marked sentence by sentence: a letter's text may have no blank
    lines, so a block can be the whole letter."""
    for index in range(first, last):
        unit = units[index]
        if unit.kind is not None:
            continue
        if unit.region == "footer":
            unit.kind = "references" if _is_reference(unit.text) else \
                "disclaimer" if _DISCLAIMER_WEAK.search(unit.text) else "footer"
        elif _PAGE_MARK.fullmatch(unit.text) and unit.region != "table":
            unit.kind = "footer"
        elif _DISCLAIMER_STRONG.search(unit.text):
            for i in _sentence(units, index, first, last):
                units[i].kind = "disclaimer"


def _sentence(units: list[_Unit], index: int, first: int, last: int) -> list[int]:
    """Line `index` and the lines its sentence is wrapped over: a line that starts in
    lower case carries on the one above."""
    start = index
    while start > first and _continues(units[start].text) and \
            units[start - 1].block == units[index].block and units[start - 1].kind is None:
        start -= 1
    end = index
    while end + 1 < last and _continues(units[end + 1].text) and \
            units[end + 1].block == units[index].block and units[end + 1].kind is None:
        end += 1
    return list(range(start, end + 1))


def _find_salutation(units: list[_Unit], first: int, last: int) -> int | None:
    for index in range(first, last):
        unit = units[index]
        if unit.kind is None and _SALUTATION.match(unit.text):
            return index if len(unit.text) <= 80 else None
    return None


def _prose_start(units: list[_Unit], first: int, last: int) -> int:
    """With no salutation, the heading ends at the first line that is not a heading line
    (and a heading is not longer than a letter's)."""
    for index in range(first, min(last, first + _MAX_HEADING_LINES)):
        unit = units[index]
        if unit.kind is not None:
            continue
        if _is_prose(unit.text) or (_ANY_LABEL.match(unit.text) and not _heading_line(unit.text)
                                    and not _contact_only([unit.text])):
            return index
    return min(last, first + _MAX_HEADING_LINES)


def _is_prose(line: str) -> bool:
    """A line of running text, not a heading, address or signature line: long, or ending
    a sentence, or mostly in lower-case words."""
    words = line.split()
    lower = sum(word[0].islower() for word in words)
    return len(line) > _MAX_HEADING_LINE or (len(words) >= 6 and bool(_SENTENCE_END.search(line))) \
        or (len(words) >= 10 and lower * 2 >= len(words))


def _heading_line(line: str) -> bool:
    return bool(_LABEL.fullmatch(line) or _is_reference(line) or _is_date_line(line)
                or _SUBJECT.match(line))


# --- The heading ---------------------------------------------------------------------

def _heading(units: list[_Unit], first: int, last: int) -> None:
    _labelled_lines(units, first, last)
    runs = _runs(units, first, last)
    in_letterhead = True  # still in the runs at the top
    seen_head = False  # a letterhead or sender block above
    seen_content = False  # any run above but handling marks ("BY EMAIL")
    candidates: list[list[int]] = []
    recipient_found = False
    for run in runs:
        lines = [units[i].text for i in run]
        joined = "\n".join(lines)
        named = _names_lines(lines)  # organisation words count off the street lines
        weak = bool(_LETTERHEAD_WEAK.search(named))
        kind: PartKind | None = None
        if _HANDLING.fullmatch(joined):
            for i in run:
                units[i].kind = "body"
            continue
        if units[run[0]].region == "header":
            # The page header: the sender's heading, or a family's own address.
            private = _address_like(lines) and _sender_kind(lines) == "sender"
            kind = "sender" if private else "letterhead"
        elif (_LETTERHEAD_STRONG.search(joined) and _short_lines(lines)) or \
                (in_letterhead and weak and (not seen_head or not _RECIPIENT.search(named))):
            # An MP's heading wherever it is (two-column pages put it anywhere); other
            # organisations' only at the top.
            kind = "letterhead"
        elif in_letterhead and seen_head and _contact_only(lines):
            kind = "letterhead"
        elif _RECIPIENT.search(named) and _short_lines(lines) and \
                (len(lines) >= 2 or _POSTCODE_END.search(joined)):
            kind = "recipient"
        elif _address_like(lines) and not seen_content:
            kind = "sender"
        elif _address_like(lines):
            candidates.append(run)
        if kind in ("letterhead", "sender"):
            seen_head = True
        else:
            in_letterhead = False
        seen_content = True
        recipient_found = recipient_found or kind == "recipient"
        for i in run:
            units[i].kind = kind
    if not recipient_found and seen_head and len(candidates) == 1:
        for i in candidates[0]:
            units[i].kind = "recipient"
    for index in range(first, last):
        if units[index].kind is None:
            units[index].kind = "body"


def _labelled_lines(units: list[_Unit], first: int, last: int) -> None:
    """Reference, date, subject and To/From lines; a pasted email's header at the top."""
    email_block = _email_header_block(units, first, last)
    previous: PartKind | None = None
    for index in range(first, last):
        unit = units[index]
        if unit.kind is not None:
            previous = None
            continue
        label = _LABEL.fullmatch(unit.text)
        name = label.group("label").lower() if label else None
        continuing = (previous is not None and index > first
                      and units[index - 1].block == unit.block and not _ANY_LABEL.match(unit.text)
                      and not _is_date_line(unit.text) and not _is_reference(unit.text))
        if index in email_block:
            kind: PartKind | None = ("subject" if name == "subject" else "date"
                                     if name in ("sent", "date") else "email_header")
            if name is None and continuing:
                kind = previous
        elif _is_reference(unit.text):
            kind = "references"
        elif _is_date_line(unit.text):
            kind = "date"
        elif name == "to":
            kind = "recipient"
        elif label and name == "from":
            kind = _sender_kind([label.group("value")] + _continuation(units, index, last))
        elif name in ("cc", "bcc"):
            kind = "enclosures"
        elif name == "subject" or _SUBJECT.match(unit.text):
            kind = "subject"
        elif continuing and previous in ("recipient", "letterhead", "sender", "subject",
                                         "enclosures"):
            kind = previous
        else:
            kind = None
        unit.kind = kind
        previous = kind


def _continuation(units: list[_Unit], index: int, last: int) -> list[str]:
    lines = []
    for unit in units[index + 1:last]:
        if unit.block != units[index].block or _ANY_LABEL.match(unit.text):
            break
        lines.append(unit.text)
    return lines


def _sender_kind(lines: list[str]) -> PartKind:
    """An organisation's heading is a letterhead; a private address is the sender's."""
    named = _names_lines(lines)
    if _LETTERHEAD_STRONG.search("\n".join(lines)) or _LETTERHEAD_WEAK.search(named) or \
            _RECIPIENT.search(named):
        return "letterhead"
    return "sender"


def _names_lines(lines: list[str]) -> str:
    """The lines of a block that are not street lines ("27 College Green", "Flat 3,
    Centre Point"): where an organisation's name or an officer's title would be."""
    return "\n".join(line for line in lines if not _STREET_LINE.match(line))


def _email_header_block(units: list[_Unit], first: int, last: int) -> set[int]:
    """A From/Sent/To/Subject block (all labelled lines, no blank line) at the top."""
    if first >= last or not _header_block_at(units, first) and not (
            (label := _LABEL.fullmatch(units[first].text)) and
            label.group("label").lower() in ("from", "sent")):
        return set()
    block = [i for i in range(first, last) if units[i].block == units[first].block]
    labels = {m.group("label").lower() for i in block if (m := _LABEL.fullmatch(units[i].text))}
    if "from" in labels and labels & {"sent", "subject", "date"} and labels & {"to", "subject"}:
        return set(block)
    return set()


def _runs(units: list[_Unit], first: int, last: int) -> list[list[int]]:
    """Unlabelled lines of the heading, in runs broken by blank lines and labelled lines."""
    runs: list[list[int]] = []
    for index in range(first, last):
        if units[index].kind is not None:
            continue
        if runs and runs[-1][-1] == index - 1 and units[index - 1].block == units[index].block \
                and not _ends_address(units, runs[-1], index):
            runs[-1].append(index)
        else:
            runs.append([index])
    return runs


def _ends_address(units: list[_Unit], run: list[int], index: int) -> bool:
    """An address block ends at its postcode line (and the phone and email lines after
    it): the next line starts another block, even with no blank line between."""
    if _contact_only([units[index].text]):
        return False
    return any(_POSTCODE_END.search(units[i].text) for i in run) and \
        _contact_only([units[i].text for i in run[_last_postcode(units, run) + 1:]])


def _last_postcode(units: list[_Unit], run: list[int]) -> int:
    return max(n for n, i in enumerate(run) if _POSTCODE_END.search(units[i].text))


def _is_reference(line: str) -> bool:
    if len(line) > 100:
        return False
    if _PLEASE_QUOTE.fullmatch(line):
        return True
    found = _REFERENCE.fullmatch(line)
    if not found:
        return False
    value = re.sub(_REFERENCE_LABEL, " ", found.group("value"))
    tokens = value.replace("|", " ").split()
    return all(_CODE.fullmatch(token) or token.lower() in ("and", "&") for token in tokens)


def _is_date_line(line: str) -> bool:
    rest = _DATE_LABEL.sub("", line, count=1) if _DATE_LABEL.match(line) else line
    rest = _WEEKDAY.sub("", rest, count=1) if _WEEKDAY.match(rest) else rest
    found = ANY_DATE.search(rest)
    if not found:
        return False
    leftover = (rest[:found.start()] + rest[found.end():]).strip(" .,")
    return not leftover or bool(re.fullmatch(r"(?:at\s+)?\d{1,2}[:.]\d{2}(?:\s*[ap]m)?", leftover,
                                             re.IGNORECASE))


def _short_lines(lines: list[str]) -> bool:
    return len(lines) <= 10 and all(not _is_prose(line) for line in lines)


def _address_like(lines: list[str]) -> bool:
    """Short lines, one of them ending in a UK postcode, nothing after it but contact
    details: an address block."""
    if not _short_lines(lines):
        return False
    for number, line in enumerate(lines):
        if _POSTCODE_END.search(line):
            return _contact_only(lines[number + 1:]) or number == len(lines) - 1
    return False


def _contact_only(lines: list[str]) -> bool:
    """Lines holding nothing but phone numbers, email and web addresses."""
    if not lines:
        return True
    for line in lines:
        rest = _WEB.sub(" ", EMAIL.sub(" ", _PHONE.sub(" ", line)))
        if rest == line:
            return False
        rest = _CONTACT_WORDS.sub(" ", rest)
        if len(re.sub(r"[|•·,;:/()\-–]", " ", rest).split()) > 1:
            return False
    return True


# --- After the salutation ------------------------------------------------------------

def _subject_after_salutation(units: list[_Unit], first: int, last: int) -> int:
    """Mark references just after the salutation and the subject; return where the body
    starts. The subject is a "Re:" line, or a few short lines that end no sentence, with
    the lines after it (if any) on a new block or prose."""
    index = first
    while index < last and (units[index].kind is not None or _is_reference(units[index].text)):
        if units[index].kind is None:
            units[index].kind = "references"
        index += 1
    lines: list[int] = []
    for i in range(index, min(last, index + 4)):
        unit = units[i]
        if unit.kind is not None or unit.block != units[index].block or _is_prose(unit.text) \
                or _SENTENCE_END.search(unit.text) or _CLOSING.fullmatch(unit.text) \
                or (i > index and _continues(unit.text)):
            break
        lines.append(i)
    if not lines:
        return index
    after = lines[-1] + 1
    labelled = bool(_SUBJECT.match(units[index].text) or _URGENT_SUBJECT.match(units[index].text))
    # What follows starts afresh: a new block, prose, or a heading line; not the rest of a
    # sentence wrapped onto the next line.
    ends = after >= last or units[after].block != units[index].block or \
        units[after].kind is not None or (_is_prose(units[after].text)
                                          and not _continues(units[after].text))
    if labelled or (ends and not _SALUTATION.match(units[index].text)):
        for i in lines:
            units[i].kind = "subject"
        return after
    return index


def _continues(line: str) -> bool:
    """A line that carries on a sentence wrapped from the line above."""
    return line[:1].islower()


def _find_closing(units: list[_Unit], first: int, last: int) -> int | None:
    for index in range(first, last):
        if units[index].kind is None and _CLOSING.fullmatch(units[index].text):
            return index
    return None


def _body(units: list[_Unit], first: int, last: int) -> None:
    for index in range(first, last):
        unit = units[index]
        if unit.kind is None:
            unit.kind = "references" if _is_reference(unit.text) else "body"


def _tail(units: list[_Unit], first: int, last: int) -> None:
    """After the closing: the signature, then enclosures, footers and disclaimers."""
    state: PartKind = "signature"
    for index in range(first, last):
        unit = units[index]
        if unit.kind is not None:
            continue
        new_block = index == first or units[index - 1].block != unit.block
        if _POSTSCRIPT.match(unit.text):
            state = "body"
        elif _ENCLOSURE.match(unit.text):
            state = "enclosures"
        elif _DISCLAIMER_WEAK.search(unit.text):
            state = "disclaimer"
        elif _is_reference(unit.text):
            unit.kind = "references"
            continue
        elif state == "body" and not new_block:
            pass
        elif state == "disclaimer" and not new_block:
            pass  # the notice goes on to the end of its block
        elif _is_prose(unit.text):
            state = "body"
        elif state in ("enclosures", "disclaimer", "footer", "body"):
            # After the signature: printed office details, or the enclosure list going on.
            if state == "enclosures" and not new_block:
                pass
            elif _LETTERHEAD_STRONG.search(unit.text) or _LETTERHEAD_WEAK.search(unit.text) \
                    or _contact_only([unit.text]):
                state = "footer"  # an unmarked address here may be the family's: body
            else:
                state = "body"
        unit.kind = state


def _unclosed_signature(units: list[_Unit], first: int, last: int) -> None:
    """No closing line: the last few short lines, after the last line of prose and
    naming a role ("Caseworker", "MP"), are a signature."""
    end = last
    while end > first and units[end - 1].kind in ("footer", "disclaimer", "enclosures"):
        end -= 1
    start = end
    while start > first and units[start - 1].kind == "body" and end - start < 5 and \
            not _is_prose(units[start - 1].text) and not _ANY_LABEL.match(units[start - 1].text):
        start -= 1
    if start == end or start == first or units[start - 1].kind != "body":
        return
    if units[start].block == units[start - 1].block and not _is_prose(units[start - 1].text):
        return  # the lines above go on the same block: not clearly a sign-off
    if _ROLE.search("\n".join(units[i].text for i in range(start, end))):
        for i in range(start, end):
            units[i].kind = "signature"


# --- Parts ---------------------------------------------------------------------------

def _parts(units: list[_Unit], tables: list[tuple[dict[str, str], ...]]) -> tuple[Part, ...]:
    parts: list[Part] = []
    previous: _Unit | None = None
    for unit in sorted(units, key=lambda u: u.start):
        kind: PartKind = unit.kind or "body"
        if unit.filler and previous is not None:
            kind, unit.depth, unit.table = parts[-1].kind, previous.depth, previous.table
        if previous is not None and parts[-1].kind == kind and previous.depth == unit.depth \
                and previous.table == unit.table:
            last = parts[-1]
            parts[-1] = Part(kind, Span(last.span.start, unit.end), last.depth, last.rows)
        else:
            rows = tables[unit.table] if unit.table is not None else ()
            parts.append(Part(kind, Span(unit.start, unit.end), unit.depth, rows))
        previous = unit
    return tuple(parts)
