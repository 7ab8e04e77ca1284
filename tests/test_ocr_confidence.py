"""Fields read from a page OCR read poorly carry that doubt, so the desk shows "Check"."""

from __future__ import annotations

from datetime import date

from correspond.pipeline.ocr_confidence import LOW_OCR_CONFIDENCE, lower_for_ocr
from correspond.records import (
    Child,
    Constituent,
    Correspondent,
    Extraction,
    Letter,
    PageRead,
    School,
    Span,
)

PAGE_ONE = ("Hannah Greaves MP\nOur ref: HG/2026/0412\n\nRe: Mrs Sarah Khan, 27 Brookfield "
            "Road, Leeds LS6 2AB")
PAGE_TWO = ("Her son Adam Khan, born 3rd April 2015, attends Meanwood Primary School.\n\n"
            "Yours sincerely,\nHannah Greaves MP")
TEXT = PAGE_ONE + "\n\n" + PAGE_TWO


def _letter(first: float | None, second: float | None) -> Letter:
    pages = (
        PageRead(1, Span(0, len(PAGE_ONE)), ocr=first is not None, confidence=first),
        PageRead(2, Span(len(PAGE_ONE) + 2, len(TEXT)), ocr=second is not None,
                 confidence=second),
    )
    return Letter(text=TEXT, source="body", pages=pages)


def _extraction() -> Extraction:
    return Extraction(
        is_send=True,
        correspondent=Correspondent(type="mp", name="Hannah Greaves",
                                    reference="HG/2026/0412"),
        constituent=Constituent(name="Mrs Sarah Khan", postcode="LS6 2AB"),
        children=(Child(first_name="Adam", last_name="Khan", date_of_birth=date(2015, 4, 3),
                        school=School("Meanwood Primary School")),),
        confidence={"correspondent.name": 0.95, "children[0].first_name": 0.6},
    )


def test_fields_written_only_on_a_poorly_read_page_get_its_confidence():
    lowered = lower_for_ocr(_extraction(), _letter(0.97, 0.62))

    assert lowered.confidence["children[0].date_of_birth"] == 0.62  # "3rd April 2015"
    assert lowered.confidence["children[0].school"] == 0.62
    # "Khan" is also written on page one, read well: the spelling is borne out there.
    assert "children[0].last_name" not in lowered.confidence
    # Already less sure than the page: the extractor's own doubt stands.
    assert lowered.confidence["children[0].first_name"] == 0.6
    # On page one, read well (the MP's name is on both pages): untouched.
    assert lowered.confidence["correspondent.name"] == 0.95
    assert "constituent.postcode" not in lowered.confidence
    assert "correspondent.reference" not in lowered.confidence


def test_a_letter_read_well_or_from_its_text_layer_is_left_as_extracted():
    extraction = _extraction()
    assert lower_for_ocr(extraction, _letter(0.95, 0.91)) is extraction
    assert lower_for_ocr(extraction, _letter(None, None)) is extraction
    assert LOW_OCR_CONFIDENCE == 0.80


def test_a_value_not_written_as_extracted_takes_the_poorest_page():
    extraction = Extraction(is_send=True, correspondent=Correspondent(),
                            constituent=Constituent(), letter_date=date(2026, 10, 14))
    lowered = lower_for_ocr(extraction, _letter(0.7, 0.5))
    assert lowered.confidence["letter_date"] == 0.5
