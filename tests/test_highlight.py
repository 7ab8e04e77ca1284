"""What the desk marks in a letter's text: the values read from it, wherever and however
the letter wrote them, with the letter's own text always escaped."""

from __future__ import annotations

from correspond.web.highlight import extracted_spans, highlight

REFERRAL = {
    "correspondent": {"name": "Hannah Greaves", "constituency": None, "reference": None},
    "constituent": {"name": "Mrs Sarah Khan", "postcode": "LS6 2AB"},
    "children": [{"first_name": "Adam", "last_name": "Khan", "date_of_birth": "2015-04-03",
                  "year_group": "Year 6", "school": {"name": "Meanwood Primary"}}],
    "concerns": [{"category": "assessment", "evidence": "needs assessment"}],
    "letter_date": "2026-10-14",
}


def marked(text: str) -> str:
    return str(highlight(text, extracted_spans(REFERRAL)))


def test_names_dates_and_evidence_are_marked_as_the_letter_wrote_them() -> None:
    html = marked("Re: Mrs Sarah Khan, LS6 2AB. Her son Adam Khan (born 3/4/2015), in "
                  "Year 6 at Meanwood Primary, needs assessment. Letter of 14 October 2026.")
    for text, label in (("Mrs Sarah Khan", "Constituent"), ("LS6 2AB", "Postcode"),
                        ("Adam Khan", "Child 1"), ("3/4/2015", "Child 1&#39;s date of birth"),
                        ("Year 6", "Child 1&#39;s year"),
                        ("Meanwood Primary", "Child 1&#39;s school"),
                        ("needs assessment", "Concern: assessment"),
                        ("14 October 2026", "Date of the letter")):
        assert (f'<span class="visually-hidden">{label}: </span>'
                f'<mark tabindex="0" title="{label}">{text}</mark>') in html


def test_a_name_broken_across_lines_is_still_marked_once() -> None:
    html = marked("my constituent Mrs Sarah\nKhan wrote")
    assert html.count("<mark") == 1 and "Mrs Sarah\nKhan</mark>" in html


def test_the_letters_own_markup_is_escaped_not_run() -> None:
    html = marked('<script>alert("Adam Khan")</script> <img src=x onerror=alert(1)>')
    assert "<script>" not in html and "<img" not in html
    assert "&lt;script&gt;" in html
    assert ('<span class="visually-hidden">Child 1: </span>'
            '<mark tabindex="0" title="Child 1">Adam Khan</mark>') in html


def test_a_name_inside_a_longer_word_is_not_marked() -> None:
    assert "<mark" not in marked("Adamson Khanal wrote about LS6 2ABC")
