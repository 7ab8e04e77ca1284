"""The letter templates staff edit: copies of the shipped ones in the home folder.

An installed correspond carries its templates inside site-packages, where an edit would be
lost at the next upgrade. So the service copies them into the templates folder (by
default HOME/templates) and drafts from there. At each start:

- a template not there yet is copied;
- a template unchanged since it was copied (its SHA-256 is recorded) is updated silently
  when a new version of correspond ships a different one;
- an edited template is never overwritten: when a new version ships a different one, it
  is put beside it in templates/shipped/ for staff to compare, and they are told once.

templates/shipped/ always holds this version's shipped templates; it is not a folder the
drafter, the check or the desk read templates from.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path

from correspond.shipped import shipped_path
from correspond.store.archive import sha256_of_file
from correspond.store.atomic import write_bytes_atomically

log = logging.getLogger(__name__)

SHIPPED_FOLDER = "shipped"
RECORD = "copied.json"  # in SHIPPED_FOLDER: {name: {"copied": sha256, "shipped": sha256}}


def install_templates(folder: Path, shipped: Path | None = None) -> list[str]:
    """Bring `folder` up to date with the shipped templates, as the module says.

    Returns a sentence for each edited template a new shipped version was put beside,
    for the service's banner (they are logged too).
    """
    shipped = (shipped or shipped_path("templates")).resolve()
    if folder.resolve() == shipped:
        return []  # the setting points at the shipped folder itself: nothing to copy
    beside = folder / SHIPPED_FOLDER
    record_file = beside / RECORD
    record = _read_record(record_file)
    notices = []
    for template in sorted(shipped.glob("*.docx")):
        name = template.name
        data = template.read_bytes()
        new = sha256_of_file(template)
        write_if_changed(beside / name, data)
        known = record.get(name, {})
        ours = folder / name
        current = sha256_of_file(ours) if ours.is_file() else None
        if current is None or (current == known.get("copied") and current != new):
            write_bytes_atomically(ours, data)
            log.info("template %s %s from the shipped version", name,
                     "copied" if current is None else "updated")
            known = {"copied": new, "shipped": new}
        elif current == new:
            known = {"copied": new, "shipped": new}
        elif known.get("shipped") != new:
            notice = (f"Template {name} has been edited here, so it is kept and used; this "
                      f"version's shipped {name} is beside it, in {beside / name}, to compare.")
            log.info("template %s edited here: the new shipped version is in %s", name,
                     SHIPPED_FOLDER)
            notices.append(notice)
            known = {"copied": known.get("copied", ""), "shipped": new}
        record[name] = known
    write_if_changed(record_file, (json.dumps(record, indent=2, sort_keys=True) + "\n")
                     .encode("utf-8"))
    return notices


def write_if_changed(path: Path, data: bytes) -> None:
    if not path.is_file() or path.read_bytes() != data:
        write_bytes_atomically(path, data)


def _read_record(path: Path) -> dict[str, dict[str, str]]:
    try:
        record = json.loads(path.read_text("utf-8"))
    except FileNotFoundError:
        return {}
    except (ValueError, UnicodeDecodeError):
        # Without the record, every template that differs from the shipped one counts as
        # edited: nothing is overwritten.
        log.warning("templates/%s/%s could not be read; starting it again", SHIPPED_FOLDER,
                    RECORD)
        return {}
    return record if isinstance(record, dict) else {}
