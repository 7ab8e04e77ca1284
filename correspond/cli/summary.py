"""A referral as a few readable lines, for the command line."""

from __future__ import annotations

from typing import Any


def describe_referral(referral: dict[str, Any]) -> str:
    lines = []
    if referral.get("reference"):
        lines.append(f"Reference     {referral['reference']}  ({referral.get('status', '')})")
    correspondent = referral.get("correspondent") or {}
    lines.append("From          " + _join(
        correspondent.get("name"), correspondent.get("constituency"),
        f"ref {correspondent['reference']}" if correspondent.get("reference") else None,
    ))
    constituent = referral.get("constituent") or {}
    lines.append("On behalf of  " + _join(constituent.get("name"), constituent.get("postcode")))
    for number, child in enumerate(referral.get("children") or [], start=1):
        school = (child.get("school") or {}).get("name")
        name = _join(child.get("first_name"), child.get("last_name"), separator=" ")
        line = f"Child {number}       " + _join(name, child.get("date_of_birth"), school)
        match = child.get("match")
        if match:
            line += f"  [{match['status']}{' ' + match['case_id'] if match.get('case_id') else ''}]"
        lines.append(line)
    concerns = [concern["category"] for concern in referral.get("concerns") or []]
    lines.append("Concerns      " + (", ".join(concerns) or "none found"))
    flags = [label for key, label in (("urgent", "URGENT"), ("is_chaser", "chaser"))
             if referral.get(key)]
    if not referral.get("is_send"):
        flags.append("not about SEND")
    if flags:
        lines.append("Flags         " + ", ".join(flags))
    if referral.get("reply_due"):
        lines.append(f"Acknowledge by {referral['acknowledgement_due']}, "
                     f"reply by {referral['reply_due']}")
    for draft in referral.get("drafts") or []:
        lines.append(f"Draft         {draft['kind']}: {draft['path']}")
    return "\n".join(lines)


def _join(*parts: Any, separator: str = ", ") -> str:
    text = separator.join(str(part) for part in parts if part)
    return text or "(not found)"
