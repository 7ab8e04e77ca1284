"""Errors named for what went wrong. Each carries a sentence a person can act on."""

from __future__ import annotations


class CorrespondError(Exception):
    """Base for errors the program reports to a person rather than as a traceback."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason

    def __reduce__(self):  # keep the reason when the error crosses a process boundary
        return (type(self), (self.reason,))


class UnreadableFile(CorrespondError):
    """A file could not be read into text. `reason` is one plain-English sentence for
    business support staff, e.g. "This PDF is a scan with no text layer."."""


class SettingsError(CorrespondError):
    """A setting has a value the program cannot use."""


class TemplateProblem(CorrespondError):
    """A letter template cannot be rendered (missing file, unknown variable, bad syntax)."""


class CaseImportError(CorrespondError):
    """A case-record file cannot be imported at all (as opposed to single bad rows)."""


class SchoolImportError(CorrespondError):
    """A school register file cannot be imported at all (as opposed to single bad rows)."""


class RegisterImportError(CorrespondError):
    """A list of MPs or councillors cannot be imported at all (as opposed to single bad
    rows)."""


class LabelledSetError(CorrespondError):
    """A labelled set for `correspond evaluate` is malformed: a gold file that is not JSON
    or lacks a field, or a gold file with no letter beside it."""


class MatchConfirmationError(CorrespondError):
    """A caseworker's match decision cannot be recorded (no such referral, child or case)."""


class UserProblem(CorrespondError):
    """A user cannot be added or changed (name taken, unknown role, short password)."""


class DeskProblem(CorrespondError):
    """A caseworker's action on the desk cannot be done (a bad date, a letter already
    approved, an upload that is not a Word document)."""


class NotARegularFile(UnreadableFile):
    """A dropped entry that is not a plain file (a shortcut, a pipe, a device, a folder):
    it is refused without being opened or followed."""


class DatabaseProblem(CorrespondError):
    """The database cannot be used as it is: missing, damaged, not a database, or made by
    another version of correspond."""


class NoDatabase(DatabaseProblem):
    """There is no database yet, for a command that only reads."""


class TrainingError(CorrespondError):
    """`correspond train` cannot start: its reference lists are missing."""


class ModelMissing(CorrespondError):
    """A trained model the program was asked to load is missing, incomplete or was built
    for other labels; the reason says how to build it."""
