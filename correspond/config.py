"""Settings: each declared once, with its default and help text, and checked at start-up.

Where a value comes from, strongest first: a `CORRESPOND_*` environment variable, then
`correspond.toml` in the home folder, then the default here. The home folder itself
comes from `--home` or `CORRESPOND_HOME` and defaults to the current folder.
"""

from __future__ import annotations

import os
import tomllib
from pathlib import Path
from typing import Literal

from pydantic import Field, ValidationError, model_validator
from pydantic_settings import BaseSettings, PydanticBaseSettingsSource, SettingsConfigDict

from correspond.errors import SettingsError
from correspond.resources import shipped_path

SETTINGS_FILE = "correspond.toml"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="CORRESPOND_", extra="forbid", frozen=True)

    home: Path = Field(Path("."), description="Folder holding inbox/, data/, drafts/ and outbox/.")

    # Folders; each defaults to a folder of that name in home.
    inbox: Path | None = Field(None, description="The drop folder watched for new correspondence.")
    data: Path | None = Field(None, description="Holds the database and the archive of originals.")
    drafts: Path | None = Field(None, description="Where drafted letters are written for approval.")
    outbox: Path | None = Field(None, description="Where approved letters are put for sending.")
    database_url: str | None = Field(
        None, description="SQLAlchemy URL of the database; default a SQLite file in data/."
    )
    templates_dir: Path = Field(
        default_factory=lambda: shipped_path("templates"),
        description="Folder of the .docx letter templates.",
    )
    model_dir: Path = Field(
        default_factory=lambda: shipped_path("models"),
        description="Folder of the extraction model.",
    )

    # The watcher.
    settle_seconds: float = Field(
        0.5, gt=0, description="A file is taken once its size and time are unchanged this long."
    )
    rescan_seconds: float = Field(
        30, gt=0, description="How often the whole inbox is listed again, to catch missed events."
    )
    recheck_seconds: float = Field(
        5, gt=0, description="A file that cannot be read is read once more after it has "
                             "stayed unchanged this long, before it is set aside (a copy "
                             "that stalls looks damaged until it finishes)."
    )
    watch_mode: Literal["events", "polling"] = Field(
        "events", description="'polling' for network shares (SMB/NFS) that do not send events."
    )
    poll_seconds: float = Field(1.0, gt=0, description="How often polling mode looks at the inbox.")

    # Limits on one file, so a hostile file cannot stall the queue or the machine.
    workers: int = Field(2, ge=1, le=32, description="Reader processes working in parallel.")
    max_file_mb: float = Field(50, gt=0, description="Larger files are set aside unread.")
    read_timeout_seconds: float = Field(
        30, gt=0, description="Reading and extracting one file is stopped after this long."
    )
    worker_memory_mb: int = Field(
        2048, ge=256, description="Address-space limit of each reader process."
    )

    # Letters and deadlines.
    acknowledgement_working_days: int = Field(
        2, ge=0, le=60, description="Working days from receipt to acknowledge a letter."
    )
    reply_working_days: int = Field(
        10, ge=1, le=120, description="Working days from receipt to send the full reply."
    )
    bank_holidays: Literal["ENG", "WLS"] = Field(
        "ENG", description="Whose bank holidays are not working days (England or Wales)."
    )
    reference_prefix: str = Field(
        "MP", pattern=r"^[A-Z]{1,6}$", description="Start of council references, e.g. MP-2026-0001."
    )
    council_name: str = Field("Example Council", description="The council's name on letters.")
    service_name: str = Field(
        "Special Educational Needs and Disabilities (SEND) Service",
        description="The service that signs the letters.",
    )
    signatory: str = Field("SEND Casework Team", description="Who signs the drafted letters.")
    schools_la: str | None = Field(
        None, description="Local authority (as in the school register's 'LA (name)' or its "
                          "code) whose schools a name in a letter is resolved among first; "
                          "None = all of England.",
    )

    # Matching a letter's children to case records (README: "How matching decides").
    match_threshold: float = Field(
        0.999, gt=0, lt=1, description="A child is linked without a person only when its best "
                                       "case record's match probability is at least this...",
    )
    match_margin_bits: float = Field(
        6.0, ge=0, description="...and that record leads the next by at least this many bits "
                               "(each bit doubles the odds).",
    )
    review_threshold: float = Field(
        0.05, gt=0, lt=1, description="Records less probable than this are not offered for "
                                      "review; when none is left the child is new.",
    )

    # The web desk (`correspond serve`).
    host: str = Field("127.0.0.1", description="Address the web desk listens on.")
    port: int = Field(8000, ge=1, le=65535, description="Port the web desk listens on.")
    session_idle_minutes: float = Field(
        30, gt=0, le=24 * 60, description="A signed-in session ends after this long unused."
    )
    secure_cookies: bool = Field(
        False, description="Send the session cookie over HTTPS only (set when behind TLS)."
    )
    trusted_proxy: str | None = Field(
        None, description="Address of the council's TLS proxy in front of the desk: its "
                          "X-Forwarded-For and -Proto headers are then believed (from it "
                          "alone), so sign-in limits count each person's own address.",
    )
    libreoffice: str = Field(
        "soffice", description="LibreOffice program that turns approved letters into PDF; "
                               "PDFs are skipped, with a note, where it is not installed.",
    )
    pdf_timeout_seconds: float = Field(
        60, gt=0, description="Turning one letter into PDF is stopped after this long."
    )

    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = Field(
        "INFO", description="How much the service logs (never personal data)."
    )

    @model_validator(mode="after")
    def _fill_folders(self) -> "Settings":
        home = self.home.expanduser().resolve()
        values = {
            "home": home,
            "inbox": _under(home, self.inbox, "inbox"),
            "data": _under(home, self.data, "data"),
            "drafts": _under(home, self.drafts, "drafts"),
            "outbox": _under(home, self.outbox, "outbox"),
        }
        for name, value in values.items():
            object.__setattr__(self, name, value)
        if self.database_url is None:
            object.__setattr__(
                self, "database_url", f"sqlite:///{values['data'] / 'correspond.db'}"
            )
        return self

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        # Environment first, then what load_settings read from correspond.toml.
        return (env_settings, init_settings)

    @property
    def inbox_dir(self) -> Path:
        assert self.inbox is not None
        return self.inbox

    @property
    def failed_dir(self) -> Path:
        return self.inbox_dir / "failed"

    @property
    def data_dir(self) -> Path:
        assert self.data is not None
        return self.data

    @property
    def archive_dir(self) -> Path:
        return self.data_dir / "archive"

    @property
    def drafts_dir(self) -> Path:
        assert self.drafts is not None
        return self.drafts

    @property
    def outbox_dir(self) -> Path:
        assert self.outbox is not None
        return self.outbox

    @property
    def max_file_bytes(self) -> int:
        return int(self.max_file_mb * 1024 * 1024)

    def make_folders(self) -> None:
        for folder in (self.inbox_dir, self.failed_dir, self.archive_dir, self.drafts_dir,
                       self.outbox_dir):
            folder.mkdir(parents=True, exist_ok=True)


def _under(home: Path, value: Path | None, default_name: str) -> Path:
    if value is None:
        return home / default_name
    value = value.expanduser()
    return value if value.is_absolute() else home / value


def load_settings(home: Path | str | None = None, **overrides: object) -> Settings:
    """Settings for a home folder: environment, then correspond.toml, then defaults.

    `overrides` (used by tests and command-line flags) count as if written in
    correspond.toml.
    """
    home_path = Path(home if home is not None else os.environ.get("CORRESPOND_HOME", "."))
    file_values: dict[str, object] = {}
    settings_file = home_path / SETTINGS_FILE
    if settings_file.is_file():
        try:
            file_values = tomllib.loads(settings_file.read_text(encoding="utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as err:
            raise SettingsError(f"{settings_file} is not valid TOML: {err}") from err
    file_values["home"] = home_path
    file_values.update(overrides)
    try:
        settings = Settings(**file_values)
    except ValidationError as err:
        raise SettingsError(_describe(err, settings_file)) from err
    return settings


def _describe(err: ValidationError, settings_file: Path) -> str:
    problems = []
    for problem in err.errors():
        name = ".".join(str(part) for part in problem["loc"]) or "settings"
        problems.append(f"{name}: {problem['msg']}")
    return f"Settings problem (from {settings_file} or CORRESPOND_* variables): " + "; ".join(
        problems
    )


def describe_settings() -> list[tuple[str, str, str]]:
    """(name, default, help) for each setting, for the README and `correspond settings`."""
    rows = []
    for name, info in Settings.model_fields.items():
        default = "" if info.default_factory else repr(info.default)
        rows.append((name, default, info.description or ""))
    return rows
