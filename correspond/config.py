"""Settings: each declared once, with its default and help text, and checked at start-up.

Where a value comes from, strongest first: a `CORRESPOND_*` environment variable, then
`correspond.toml` in the home folder, then the default here. The home folder itself is
chosen before any of that, since correspond.toml is read from it: `--home`, else
`CORRESPOND_HOME`, else the current folder; it cannot be set in correspond.toml.
"""

from __future__ import annotations

import os
import tomllib
from datetime import date
from pathlib import Path
from typing import Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PrivateAttr,
    ValidationError,
    field_validator,
    model_validator,
)
from pydantic_settings import (
    BaseSettings,
    EnvSettingsSource,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)

from correspond.domain.dates import written_date
from correspond.domain.workdays import add_working_days
from correspond.errors import SettingsError
from correspond.shipped import shipped_path

SETTINGS_FILE = "correspond.toml"
HOME_VARIABLE = "CORRESPOND_HOME"

# Where a value in force came from, as `correspond settings` shows it.
DEFAULT, FILE, ENVIRONMENT, FLAG = "default", SETTINGS_FILE, "environment", "flag"


# Settings printed on every letter, which a council must fill in before one goes out.
COUNCIL_DETAILS = ("council_name", "council_address", "council_phone", "council_email")

# Who wrote, as the protocol's targets distinguish them (an MP's office counts as the MP).
CORRESPONDENT_KINDS = ("mp", "councillor", "other")
# The first version of a protocol built from the two plain deadline settings.
_SINCE_EVER = date(2000, 1, 1)


class Targets(BaseModel):
    """Working days from receipt (counted from the day after) by who wrote; `urgent`, when
    set, is the target for an urgent referral whoever wrote, unless theirs is shorter."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    mp: int = Field(ge=0, le=120)
    councillor: int = Field(ge=0, le=120)
    other: int = Field(ge=0, le=120)
    urgent: int | None = Field(None, ge=0, le=120)

    def days_for(self, kind: str, urgent: bool) -> int:
        usual = int(getattr(self, kind if kind in CORRESPONDENT_KINDS else "other"))
        if urgent and self.urgent is not None:
            return min(usual, self.urgent)
        return usual

    def __str__(self) -> str:
        shown = f"MP {self.mp}, councillor {self.councillor}, other {self.other}"
        return shown + (f", urgent {self.urgent}" if self.urgent is not None else "")


class ProtocolVersion(BaseModel):
    """One version of the joint protocol with local MPs, in force from `effective` until
    the next version's date."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    effective: date
    name: str = ""
    acknowledgement: Targets
    reply: Targets
    on_time_percent: float = Field(
        90, ge=0, le=100, description="The share of letters the protocol expects to go "
                                       "within target; below it in a month, the reports "
                                       "page says so.")

    def __str__(self) -> str:
        since = "from the start" if self.effective == _SINCE_EVER \
            else f"from {written_date(self.effective)}"
        return (f"{self.name or 'protocol'} {since}: acknowledge in {self.acknowledgement}; "
                f"reply in {self.reply}; {self.on_time_percent:g}% on time")


class Protocol(BaseModel):
    """The joint protocol: its versions, each judged only on letters that arrived while
    it was in force."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    versions: tuple[ProtocolVersion, ...] = Field(min_length=1)

    @field_validator("versions")
    @classmethod
    def _one_version_a_day(cls, versions: tuple[ProtocolVersion, ...]
                           ) -> tuple[ProtocolVersion, ...]:
        days = [version.effective for version in versions]
        if len(set(days)) != len(days):
            raise ValueError("two versions take effect on the same date; give each its own")
        return tuple(sorted(versions, key=lambda version: version.effective))

    def in_force(self, day: date) -> ProtocolVersion:
        """The version in force on `day`; before the first took effect, the first."""
        current = self.versions[0]
        for version in self.versions[1:]:
            if version.effective <= day:
                current = version
        return current

    def due_dates(self, received: date, kind: str, urgent: bool,
                  region: str) -> tuple[date, date]:
        """When the acknowledgement and the full reply are due for a letter received on
        `received` from a correspondent of `kind`, by the version then in force."""
        version = self.in_force(received)
        return (add_working_days(received, version.acknowledgement.days_for(kind, urgent),
                                 region),
                add_working_days(received, version.reply.days_for(kind, urgent), region))

    def __str__(self) -> str:
        return "; ".join(str(version) for version in self.versions)


def single_version(acknowledgement_days: int, reply_days: int) -> Protocol:
    """A protocol of one version with the same targets for everyone."""
    return Protocol(versions=(ProtocolVersion(
        effective=_SINCE_EVER, name="Deadlines", on_time_percent=90,
        acknowledgement=Targets(mp=acknowledgement_days, councillor=acknowledgement_days,
                                other=acknowledgement_days, urgent=None),
        reply=Targets(mp=reply_days, councillor=reply_days, other=reply_days, urgent=None)),))


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="CORRESPOND_", extra="forbid", frozen=True)

    home: Path = Field(Path("."), description="Folder holding correspond.toml, inbox/, data/, "
                                              "drafts/, outbox/ and templates/: --home, else "
                                              "CORRESPOND_HOME, else the current folder.")

    # Folders: a relative one is taken inside home; each is absolute once loaded.
    inbox: Path = Field(Path("inbox"), description="The drop folder watched for new "
                                                   "correspondence.")
    data: Path = Field(Path("data"), description="Holds the database and the archive of "
                                                 "originals.")
    drafts: Path = Field(Path("drafts"), description="Where drafted letters are written for "
                                                     "approval.")
    outbox: Path = Field(Path("outbox"), description="Where approved letters are put for "
                                                     "sending.")
    database_url: str = Field(
        "", description="SQLAlchemy URL of the database; empty: the SQLite file "
                        "data/correspond.db."
    )
    templates_dir: Path = Field(
        Path("templates"), description="Folder of the .docx letter templates staff edit "
                                       "(where `serve` copies the shipped ones).",
    )
    model_dir: Path = Field(
        default_factory=lambda: shipped_path("models"),
        description="Folder of the extraction model; default the one shipped with correspond.",
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
    ocr_max_pages: int = Field(
        20, ge=1, le=1000, description="Scanned pages read by OCR in one file (attachments "
                                       "included); a file with more is set aside, saying so."
    )
    ocr_timeout_seconds: float = Field(
        60, gt=0, description="Reading one file's scanned pages by OCR is stopped after this "
                              "long, and the file set aside, saying so."
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
    protocol: Protocol | None = Field(
        None, description="The joint protocol with local MPs ([protocol] in correspond.toml, "
                          "README 'Liaison'): acknowledgement and reply targets in working "
                          "days by who wrote and for urgent letters, in versions with the "
                          "date each took effect; unset = acknowledgement_working_days and "
                          "reply_working_days for everyone.",
    )
    pack_child_names: bool = Field(
        False, description="Name children in full in the MP meeting pack; off, they are "
                           "shown by initials beside our reference.",
    )
    reference_prefix: str = Field(
        "MP", pattern=r"^[A-Z]{1,6}$", description="Start of council references, e.g. MP-2026-0001."
    )
    # The council's details on every letter: placeholders until set (`serve` says so).
    council_name: str = Field("Example Council", description="The council's name on letters.")
    council_postcodes: list[str] = Field(
        default_factory=list,
        description="The council's own postcodes (its offices, the SEND service): never read "
                    "as a family's, wherever a letter writes them.",
    )
    service_name: str = Field(
        "Special Educational Needs and Disabilities (SEND) Service",
        description="The service that signs the letters.",
    )
    signatory: str = Field(
        "SEND Casework Team", description="The team that signs the letters, under the named "
                                          "officer (or alone when no officer is known).")
    council_address: str = Field(
        "County Hall\nExample Street\nExampleton\nZZ1 1ZZ",
        description="The service's postal address on letters, one line per line (\\n "
                    "between lines in correspond.toml, or a multi-line string).")
    council_phone: str = Field("01632 960000", description="The telephone number on letters.")
    council_email: str = Field(
        "send@example.org", description="The email address on letters when the case record "
                                        "gives no caseworker's email.")
    salutation_style: Literal["formal", "first_name"] = Field(
        "formal", description="The council's house style for greetings: 'formal' (Dear Sir "
                              "Geoffrey, Dear Ms Keane) or 'first_name' (Dear Geoffrey).")
    schools_la: str | None = Field(
        None, description="Local authority (as in the school register's 'LA (name)' or its "
                          "code) whose schools a name in a letter is resolved among first; "
                          "unset = all of England.",
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

    smtp_host: str | None = Field(
        None, description="Mail server for reminders (e.g. the council's relay); reminders "
                          "are off until it is set.",
    )
    smtp_port: int = Field(25, ge=1, le=65535, description="The mail server's port.")
    smtp_starttls: bool = Field(
        False, description="Upgrade the connection to the mail server with STARTTLS.")
    smtp_username: str | None = Field(
        None, description="Name to sign in to the mail server with, if it needs one.")
    smtp_password: str | None = Field(
        None, description="Password for smtp_username (best set as CORRESPOND_SMTP_PASSWORD).")
    mail_from: str = Field(
        "correspond@localhost", description="The From address of the desk's emails.")
    desk_url: str | None = Field(
        None, description="The desk's address as staff reach it, for links in emails "
                          "(default: http://host:port).",
    )
    reminder_time: str = Field(
        "07:30", pattern=r"^([01]\d|2[0-3]):[0-5]\d$",
        description="When each working day's reminder email goes to each caseworker with "
                    "referrals due or overdue (UK time, HH:MM).",
    )
    urgent_alert_to: list[str] = Field(
        default_factory=list, description="Addresses told at once when an urgent referral "
                                          "lands (none: no alert).",
    )
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = Field(
        "INFO", description="How much the service logs (never personal data)."
    )
    log_format: Literal["text", "json"] = Field(
        "text", description="'json': one JSON object a line, with the process and any "
                            "referral id as fields, for a log collector."
    )

    # Running as several processes on one database (README: "Running on more than one
    # machine").
    migrate_at_start: bool = Field(
        True, description="serve, worker and desk bring the database's schema up to date "
                          "as they start; false: only `correspond migrate` does, and they "
                          "refuse a database it has not brought up to date."
    )
    claim_lease_seconds: float = Field(
        60, ge=5, le=3600, description="A worker holds each file it is reading for this "
                                       "long at a time, renewing it as it goes; a file "
                                       "whose worker stopped renewing is taken over by "
                                       "another."
    )

    # Where each value came from (load_settings fills it), for `correspond settings`.
    _sources: dict[str, str] = PrivateAttr(default_factory=dict)

    @model_validator(mode="after")
    def _fill_folders(self) -> Settings:
        home = self.home.expanduser().resolve()
        object.__setattr__(self, "home", home)
        for name in ("inbox", "data", "drafts", "outbox", "templates_dir"):
            object.__setattr__(self, name, _under(home, getattr(self, name)))
        if not self.database_url:
            object.__setattr__(self, "database_url", f"sqlite:///{self.data / 'correspond.db'}")
        if self.protocol is None:
            object.__setattr__(self, "protocol", single_version(
                self.acknowledgement_working_days, self.reply_working_days))
        elif self.model_fields_set & {"acknowledgement_working_days", "reply_working_days"}:
            raise ValueError("acknowledgement_working_days and reply_working_days are set "
                             "beside [protocol]; put the targets in [protocol] only")
        return self

    @property
    def joint_protocol(self) -> Protocol:
        """The protocol in force (the two plain deadlines when no [protocol] is given)."""
        assert self.protocol is not None  # filled in when the settings are made
        return self.protocol

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
        return (_Environment(settings_cls), init_settings)

    @property
    def placeholder_details(self) -> list[str]:
        """The council's details on letters still at their shipped placeholders."""
        return [name for name in COUNCIL_DETAILS
                if getattr(self, name) == Settings.model_fields[name].default]

    @property
    def failed_dir(self) -> Path:
        return self.inbox / "failed"

    @property
    def archive_dir(self) -> Path:
        return self.data / "archive"

    @property
    def max_file_bytes(self) -> int:
        return int(self.max_file_mb * 1024 * 1024)

    def make_folders(self) -> None:
        for folder in (self.inbox, self.failed_dir, self.archive_dir, self.drafts,
                       self.outbox):
            folder.mkdir(parents=True, exist_ok=True)


class _Environment(EnvSettingsSource):
    """The CORRESPOND_* variables, except CORRESPOND_HOME: load_settings has chosen the
    home already (a --home flag beats the variable), and read correspond.toml from it."""

    def __call__(self) -> dict[str, object]:
        values = super().__call__()
        values.pop("home", None)
        return values


def _under(home: Path, value: Path) -> Path:
    value = value.expanduser()
    return value if value.is_absolute() else home / value


def load_settings(home: Path | str | None = None, **overrides: object) -> Settings:
    """Settings for a home folder: environment, then correspond.toml, then defaults.

    `home` is the --home flag; without it, CORRESPOND_HOME, then the current folder.
    `overrides` (used by tests and command-line flags) count as if written in
    correspond.toml.
    """
    if home is not None:
        home_path, home_source = Path(home), FLAG
    elif os.environ.get(HOME_VARIABLE):
        home_path, home_source = Path(os.environ[HOME_VARIABLE]), ENVIRONMENT
    else:
        home_path, home_source = Path("."), DEFAULT
    settings_file = home_path / SETTINGS_FILE
    try:
        file_values = TomlConfigSettingsSource(Settings, toml_file=settings_file)()
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as err:
        raise SettingsError(f"{settings_file} is not valid TOML: {err}") from err
    if file_values:
        if "home" in file_values:
            raise SettingsError(
                f"{settings_file} sets 'home', which cannot be set in the file that is read "
                f"from it: remove that line and give the folder with --home or "
                f"{HOME_VARIABLE}.")
    sources = dict.fromkeys(file_values, FILE)
    sources.update(dict.fromkeys(overrides, FLAG))
    sources.update(dict.fromkeys(_Environment(Settings)(), ENVIRONMENT))
    sources["home"] = home_source
    values = {**file_values, **overrides, "home": home_path}
    try:
        settings = Settings(**values)
    except ValidationError as err:
        raise SettingsError(_describe(err, settings_file)) from err
    settings._sources = sources
    return settings


def _describe(err: ValidationError, settings_file: Path) -> str:
    problems = []
    for problem in err.errors():
        name = ".".join(str(part) for part in problem["loc"]) or "settings"
        problems.append(f"{name}: {problem['msg']}")
    return f"Settings problem (from {settings_file} or CORRESPOND_* variables): " + "; ".join(
        problems
    )


def describe_settings() -> list[tuple[str, str | None, str]]:
    """(name, default, meaning) for each setting, for `correspond settings --explain`; the
    default is None where it depends on the home folder (the meaning says how)."""
    rows = []
    for name, info in Settings.model_fields.items():
        default = None if info.default_factory or info.default is None or name == "home" \
            else show_value(info.default)
        rows.append((name, default, info.description or ""))
    return rows


def settings_in_force(settings: Settings) -> list[tuple[str, str, str]]:
    """(name, where it came from, value as written in correspond.toml) for each setting."""
    rows = []
    for name in Settings.model_fields:
        value = getattr(settings, name)
        if name == "database_url" and value:
            value = safe_url(value)
        if name == "smtp_password" and value:
            value = "(set, not shown)"
        rows.append((name, settings._sources.get(name, DEFAULT), show_value(value)))
    return rows


def show_value(value: object) -> str:
    """A value as a person would write it, not as Python's repr."""
    if value is None:
        return "(not set)"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return f"{value:g}"
    # A multi-line value (the council's address) on one line, as TOML writes it.
    return str(value).replace("\n", "\\n")


def safe_url(url: str) -> str:
    """A database URL without any password in it."""
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)
