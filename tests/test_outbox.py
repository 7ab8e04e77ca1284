"""The outbox after a crash between an approval's commit and its files moving into place:
what was approved is published once, what was not is removed, nothing is sent twice."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from correspond.desk.outbox import ApprovedLetter, Outbox
from correspond.errors import DeskProblem


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def test_a_crash_after_the_commit_is_finished_and_one_before_it_undone(tmp_path: Path) -> None:
    outbox = Outbox(tmp_path / "outbox")
    committed = outbox.stage(7, {"MP-2026-0007-acknowledgement.docx": b"approved letter",
                                 "MP-2026-0007-acknowledgement.pdf": b"%PDF approved"})
    not_committed = outbox.stage(8, {"MP-2026-0008-acknowledgement.docx": b"never approved"})
    sent_already = outbox.stage(9, {"MP-2026-0009-holding.docx": b"approved holding"})
    (tmp_path / "outbox" / "MP-2026-0009-holding.docx").write_bytes(b"approved holding")
    assert committed.files and not_committed.files and sent_already.files
    database = {
        7: ApprovedLetter(7, {"MP-2026-0007-acknowledgement.docx": _sha(b"approved letter"),
                              "MP-2026-0007-acknowledgement.pdf": _sha(b"%PDF approved")}),
        9: ApprovedLetter(9, {"MP-2026-0009-holding.docx": _sha(b"approved holding")}),
    }
    published, removed = outbox.recover(database.get)
    assert (published, removed) == (2, 2)
    names = sorted(path.name for path in (tmp_path / "outbox").iterdir())
    assert names == ["MP-2026-0007-acknowledgement.docx", "MP-2026-0007-acknowledgement.pdf",
                     "MP-2026-0009-holding.docx"]
    assert (tmp_path / "outbox" / "MP-2026-0007-acknowledgement.docx").read_bytes() == \
        b"approved letter"


def test_staged_bytes_that_differ_from_the_approval_are_not_published(tmp_path: Path) -> None:
    outbox = Outbox(tmp_path / "outbox")
    outbox.stage(3, {"MP-2026-0003-acknowledgement.docx": b"a different letter"})
    approved = ApprovedLetter(3, {"MP-2026-0003-acknowledgement.docx": _sha(b"approved")})
    assert outbox.recover(lambda draft_id: approved) == (0, 1)
    assert list((tmp_path / "outbox").iterdir()) == []


def test_an_outbox_that_cannot_be_written_leaves_nothing_staged(tmp_path: Path) -> None:
    (tmp_path / "outbox").write_text("a file where the folder should be")
    with pytest.raises(DeskProblem, match="could not be put in the outbox folder"):
        Outbox(tmp_path / "outbox").stage(1, {"MP-2026-0001-acknowledgement.docx": b"x"})
