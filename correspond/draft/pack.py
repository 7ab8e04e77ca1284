"""The MP meeting pack's Word template (templates/mp-pack.docx): the variables it may use
and a sample of each, so `correspond templates check` can check the council's edits of it
as it checks the letters. The liaison stage fills the same variables (liaison/pack.py).
"""

from __future__ import annotations

PACK_TEMPLATE = "mp-pack.docx"

# Lists of rows (months, targets, outcomes, changes, themes, open_referrals) are used in
# the template's tables with {%tr for row in ... %}; each row's fields are in the sample.
PACK_VARIABLES: frozenset[str] = frozenset({
    "council_name", "service_name", "today", "member_title", "member_name", "member_area",
    "member_kind", "period_label", "protocol_text", "total", "year_earlier_total",
    "change_text", "median_days_to_acknowledge", "months", "acknowledgements", "replies",
    "targets", "outcomes", "changes", "themes", "open_referrals", "open_count",
    "children_named",
})


def _figures(within: int, late: int, overdue: int, pending: int) -> dict[str, object]:
    sent = within + late
    return {"within": within, "late": late, "overdue": overdue, "pending": pending,
            "sent": sent, "percent": f"{100 * within / sent:.0f}%" if sent else "–"}


def sample_pack_context() -> dict[str, object]:
    """A pack with every variable filled, for checking the template renders."""
    context: dict[str, object] = {
        "council_name": "Example Council", "service_name": "SEND Service",
        "today": "16 March 2026", "member_title": "Sample Member MP (Sampleton)",
        "member_name": "Sample Member", "member_area": "Sampleton", "member_kind": "MP",
        "period_label": "1 January to 31 March 2026",
        "protocol_text": "Joint protocol 2025: acknowledge in 2 working days, reply in 15",
        "total": 12, "year_earlier_total": 10, "change_text": "up 20% on a year earlier",
        "median_days_to_acknowledge": "2",
        "months": [{"label": "January 2026", "count": 4, "year_earlier": 3}],
        "acknowledgements": _figures(10, 1, 0, 1), "replies": _figures(7, 2, 1, 2),
        "targets": [{"letter": "Acknowledgement", "group": "MPs", "days": "2 working days",
                     **_figures(9, 1, 0, 1)}],
        "outcomes": [{"label": "Resolved", "count": 5}],
        "changes": [{"label": "Transport arranged", "count": 2}],
        "themes": [{"label": "Home to school transport", "count": 4}],
        "open_referrals": [{"reference": "MP-2026-0001", "your_reference": "SM/0001",
                            "child": "A K", "received": "2 March 2026",
                            "status": "Acknowledged", "next_step": "Full reply",
                            "next_date": "23 March 2026", "urgent": "Urgent"}],
        "open_count": 1, "children_named": False,
    }
    assert context.keys() == PACK_VARIABLES
    return context


__all__ = ["PACK_TEMPLATE", "PACK_VARIABLES", "sample_pack_context"]
