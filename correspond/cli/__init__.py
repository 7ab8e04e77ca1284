"""The command line. Each command loads settings, calls one function, and turns an error
into a one-line message and a non-zero exit status."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

import click

from correspond.config import (
    Settings,
    describe_settings,
    load_settings,
    safe_url,
    settings_in_force,
)
from correspond.domain.roles import ROLES
from correspond.errors import CorrespondError
from correspond.logs import configure_logging

if TYPE_CHECKING:
    from correspond.imports.rows import RowProblem
    from correspond.records import SaveReport
    from correspond.store.database import Database


class _Context:
    def __init__(self, home: Path | None) -> None:
        self.home = home
        self._settings: Settings | None = None
        self.role = "command"  # what this process is, in JSON logs

    @property
    def settings(self) -> Settings:
        if self._settings is None:
            self._settings = load_settings(self.home)
            configure_logging(self._settings.log_level, self._settings.log_format, self.role)
        return self._settings

    @contextmanager
    def database(self, *, read_only: bool = False, migrate: bool = False
                 ) -> Iterator[Database]:
        """The home folder's database, closed when the command is done: migrated (with
        `migrate`, or when migrate_at_start allows), or for a command that only reads,
        left exactly as it is (no folders made, no migration); refused in a sentence
        when it is missing or of another version's schema."""
        from correspond.store.database import Database

        migrating = not read_only and (migrate or self.settings.migrate_at_start)
        if not read_only:
            self.settings.make_folders()
        db = Database(self.settings.database_url, migrate=migrating)
        try:
            if not migrating:
                db.require_current_schema()
            yield db
        finally:
            db.close()


pass_context = click.make_pass_decorator(_Context)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--home", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Folder holding correspond.toml, inbox/, data/, drafts/, outbox/ and "
                   "templates/ (default: $CORRESPOND_HOME, else the current folder).")
@click.version_option(package_name="correspond")
@click.pass_context
def cli(context: click.Context, home: Path | None) -> None:
    """correspond: MP correspondence about children with SEND, read, linked and drafted."""
    context.obj = _Context(home)


_HOST = click.option("--host", default=None, help="Address the web desk listens on "
                                                  "(default 127.0.0.1: this machine only).")
_PORT = click.option("--port", type=click.IntRange(1, 65535), default=None,
                     help="Port the web desk listens on (default 8000).")


def _desk_settings(context: _Context, host: str | None, port: int | None) -> Settings:
    settings = context.settings
    overrides = {key: value for key, value in (("host", host), ("port", port)) if value}
    return settings.model_copy(update=overrides) if overrides else settings


@cli.command()
@_HOST
@_PORT
@pass_context
def serve(context: _Context, host: str | None, port: int | None) -> None:
    """Run the service: the inbox watcher and the web desk."""
    from correspond.daemon import run_service

    context.role = "serve"
    run_service(_desk_settings(context, host, port), banner="correspond is running.",
                web=True)


@cli.command()
@pass_context
def worker(context: _Context) -> None:
    """Run the inbox watcher and readers alone, without the web desk; any number may
    share one inbox and database."""
    from correspond.daemon import run_service

    context.role = "worker"
    run_service(context.settings, banner="correspond is working on the inbox.", web=False)


@cli.command()
@pass_context
def watch(context: _Context) -> None:
    """Run the inbox watcher alone, without the web desk (the same as `worker`)."""
    from correspond.daemon import run_service

    context.role = "worker"
    run_service(context.settings, banner="correspond is watching the inbox.", web=False)


@cli.command()
@_HOST
@_PORT
@pass_context
def desk(context: _Context, host: str | None, port: int | None) -> None:
    """Run the web desk alone, reading no files; any number may share one database."""
    from correspond.daemon import run_service

    context.role = "desk"
    run_service(_desk_settings(context, host, port), banner="correspond's desk is running.",
                web=True, watch=False)


@cli.group()
def users() -> None:
    """Who may sign in to the web desk."""


@users.command("add")
@click.argument("name")
@click.option("--role", required=True,
              type=click.Choice(list(ROLES)),
              help="What they may do: business_support (queue, failed files), caseworker "
                   "(check, match, approve), liaison (reports), admin (users, templates).")
@pass_context
def users_add(context: _Context, name: str, role: str) -> None:
    """Add NAME with ROLE. The password is read from standard input (asked for twice,
    hidden, at a terminal), never from the command line where others could see it."""
    from correspond.store.users import add_user

    if sys.stdin.isatty():
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    else:
        password = sys.stdin.readline().rstrip("\r\n")
    with context.database() as db:
        try:
            user = add_user(db, name, role, password)
        except CorrespondError as err:
            _fail(err.reason)
    click.echo(f"{user.name} can now sign in as {user.role_label.lower()}.")


@users.command("list")
@pass_context
def users_list(context: _Context) -> None:
    """List the people who may sign in, and their roles."""
    from correspond.store.users import all_users

    with context.database(read_only=True) as db:
        people = all_users(db)
    for user in people:
        click.echo(f"{user.name}\t{user.role}\t{'active' if user.active else 'off'}")


@cli.command()
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print the referral as JSON.")
@pass_context
def extract(context: _Context, file: Path, as_json: bool) -> None:
    """Read FILE and print what was extracted. Touches no database."""
    from correspond.app import start_readers
    from correspond.referral_json import referral_to_json
    from correspond.store.archive import sha256_of_file

    settings = context.settings
    if file.stat().st_size > settings.max_file_bytes:
        _fail(f"{file.name}: this file is larger than the {settings.max_file_mb:g} MB limit.")
    readers = start_readers(settings, workers=1)
    try:
        result = readers.read(file, file.name)
    except CorrespondError as err:
        _fail(f"{file.name}: {err.reason}")
    finally:
        readers.close()
    referral = referral_to_json(
        file=str(file), sha256=sha256_of_file(file), format=result.document.format,
        letter=result.letter, parts=result.parts, extraction=result.extraction,
        extra={"letter_source": result.letter.source, "notes": list(result.document.notes)},
    )
    _print_referral(referral, as_json)


@cli.command()
@click.argument("files", nargs=-1, required=True,
                type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--json", "as_json", is_flag=True,
              help="Print each referral as JSON (JSON Lines for several files).")
@pass_context
def ingest(context: _Context, files: tuple[Path, ...], as_json: bool) -> None:
    """Run the whole pipeline for each FILE: archive, record, match, draft.

    The files are left where they are; only the inbox watcher moves files.
    """
    from correspond.app import build_app

    app = build_app(context.settings, workers=min(len(files), context.settings.workers))
    failures = 0
    try:
        for file in files:
            outcome = app.pipeline.ingest(file, name=file.name, given_as=str(file))
            if outcome.kind == "failed":
                failures += 1
                click.echo(f"{file.name}: {outcome.reason}", err=True)
                continue
            referral = {**(outcome.referral or {}), "file": str(file)}
            if outcome.kind == "duplicate" and not as_json:
                click.echo(f"{file.name}: already recorded as {outcome.reference}")
                continue
            _print_referral(referral, as_json)
    finally:
        app.close()
    if failures:
        sys.exit(1)


@cli.group()
def cases() -> None:
    """Case records from the council's case management system."""


@cases.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--map", "mapping_pairs", multiple=True, metavar="COLUMN=HEADER",
              help="The export's header for one of our columns, e.g. --map case_id='Person ID'.")
@pass_context
def cases_import(context: _Context, file: Path, mapping_pairs: tuple[str, ...]) -> None:
    """Load case records from FILE.csv (see spec/cases.md for the columns), UTF-8 or
    Windows-1252 as Excel saves it."""
    from correspond.cli.progress import progress
    from correspond.imports.cases import read_case_export
    from correspond.imports.rows import records_setting_aside
    from correspond.store.cases import save_cases

    mapping = _parse_mapping(mapping_pairs)
    problems: list[RowProblem] = []
    with context.database() as db:
        try:
            export = read_case_export(file.read_bytes(), mapping)
            with progress(export.rows, length=export.lines,
                          label="Importing case records") as rows:
                report = save_cases(db, records_setting_aside(rows, problems))
        except CorrespondError as err:
            _fail(f"{file.name}: {err.reason}")
    _print_import(report, problems, f" (read as {export.encoding})")
    if problems:
        sys.exit(1)


@cli.group()
def match() -> None:
    """Caseworkers' decisions on which case record a child is."""


@match.command("confirm")
@click.argument("reference")
@click.argument("child", type=int)
@click.argument("case_id")
@click.option("--by", "user", required=True, help="Who decided (recorded with the decision).")
@pass_context
def match_confirm(context: _Context, reference: str, child: int, case_id: str,
                  user: str) -> None:
    """Link CHILD (1 for the first, as `ingest` prints them) of referral REFERENCE to
    CASE_ID. The same family writing about the same child again links without asking."""
    from correspond.match.confirm import confirm_by_reference
    if child < 1:
        raise click.BadParameter("children are numbered from 1", param_hint="CHILD")
    with context.database() as db:
        try:
            confirm_by_reference(db, reference, child - 1, case_id, user)
        except CorrespondError as err:
            _fail(err.reason)
    click.echo(f"{reference} child {child} linked to {case_id} by {user}")


@cli.group()
def schools() -> None:
    """The register of schools (GIAS), for resolving school names in letters to URNs."""


@schools.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@pass_context
def schools_import(context: _Context, file: Path) -> None:
    """Load or refresh the register from a GIAS establishment export FILE.csv."""
    from correspond.cli.progress import progress
    from correspond.imports.rows import records_setting_aside
    from correspond.schools.describe import describe_register
    from correspond.schools.directory import SchoolDirectory
    from correspond.schools.gias import read_school_export
    from correspond.store.schools import save_schools

    problems: list[RowProblem] = []
    with context.database() as db:
        try:
            with file.open("rb") as stream:
                export = read_school_export(stream)
            with progress(export.rows, length=export.lines,
                          label="Importing schools") as rows:
                report = save_schools(db, records_setting_aside(rows, problems))
            register = SchoolDirectory(db, local_la=context.settings.schools_la).register()
        except CorrespondError as err:
            _fail(f"{file.name}: {err.reason}")
    _print_import(report, problems, f" (read as {export.encoding})")
    click.echo(describe_register(register))
    if problems:
        sys.exit(1)


@schools.command("find")
@click.argument("name")
@click.option("--json", "as_json", is_flag=True, help="Print the resolution as JSON.")
@pass_context
def schools_find(context: _Context, name: str, as_json: bool) -> None:
    """Show which school NAME, as written in a letter, means in the register."""
    from correspond.errors import NoDatabase
    from correspond.referral_json import school_resolution_to_json
    from correspond.schools.describe import describe_resolution
    from correspond.schools.directory import SchoolDirectory
    try:
        with context.database(read_only=True) as db:
            register = SchoolDirectory(db, local_la=context.settings.schools_la).register()
    except NoDatabase:
        register = None  # nothing loaded yet, so nothing to find
    if register is None or not len(register):
        _fail("The school register is empty: load it with "
              "'correspond schools import FILE.csv' (a GIAS establishment export).")
    resolution = register.resolve(name)
    if as_json:
        click.echo(json.dumps(school_resolution_to_json(resolution), ensure_ascii=False))
    else:
        click.echo(describe_resolution(resolution))


@cli.group()
def mps() -> None:
    """The House of Commons list of MPs that letters are checked against."""


@mps.command("import")
@click.argument("file", required=False,
                type=click.Path(exists=True, dir_okay=False, path_type=Path))
@pass_context
def mps_import(context: _Context, file: Path | None) -> None:
    """Make FILE.csv the list of MPs (the shipped current-MPs.csv's columns, or Name and
    Constituency); without FILE, the list shipped with correspond. Members not in it are
    kept for the letters they sent, but no longer listed."""
    from correspond.imports.registers import SHIPPED_MPS

    _import_members(context, "mp", file or SHIPPED_MPS)


@cli.group()
def councillors() -> None:
    """The council's list of councillors that letters are checked against."""


@councillors.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@pass_context
def councillors_import(context: _Context, file: Path) -> None:
    """Make FILE.csv the list of councillors: a Name column, and Ward (or Division),
    Party and Email where known; UTF-8 or Windows-1252."""
    _import_members(context, "councillor", file)


def _import_members(context: _Context, kind: str, file: Path) -> None:
    from correspond.imports.registers import import_members

    with context.database() as db:
        try:
            imported = import_members(db, kind, file.read_bytes())
        except CorrespondError as err:
            _fail(f"{file.name}: {err.reason}")
    for problem in imported.problems:
        click.echo(f"line {problem.line}: {problem.reason}", err=True)
    saved = imported.saved
    click.echo(f"{saved.added} added, {saved.updated} updated, {saved.unchanged} unchanged, "
               f"{saved.no_longer_listed} no longer listed, {len(imported.problems)} rejected "
               f"(read as {imported.encoding}); {saved.referrals_linked} earlier "
               f"referral{'' if saved.referrals_linked == 1 else 's'} now linked to a member")
    if imported.problems:
        sys.exit(1)


@cli.command()
@click.option("--json", "as_json", is_flag=True, help="Print the counts as JSON.")
@pass_context
def status(context: _Context, as_json: bool) -> None:
    """Counts of processed, failed and duplicate files, and referrals by status."""
    from correspond.store import deliveries

    with context.database(read_only=True) as db, db.reading() as connection:
        counts = deliveries.counts(db, connection)
    if as_json:
        click.echo(json.dumps(counts))
    else:
        for name, number in counts.items():
            click.echo(f"{name.replace('_', ' '):<28}{number}")


@cli.command()
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
@pass_context
def backup(context: _Context, directory: Path) -> None:
    """Write a consistent copy of the database to DIRECTORY, named by the time
    (correspond-YYYY-MM-DD-HHMMSS.db); safe while the service runs. README.md,
    "Operations", says how to restore it."""
    from correspond.store.backup import back_up
    from correspond.store.database import Database

    db = Database(context.settings.database_url, migrate=False)
    try:
        copy = back_up(db, directory)
    finally:
        db.close()
    click.echo(f"Database backed up to {copy}")


@cli.command()
@pass_context
def migrate(context: _Context) -> None:
    """Bring the database's schema up to this version (the service does this at start
    unless migrate_at_start is false)."""
    with context.database(migrate=True):
        pass
    click.echo(f"The database {safe_url(context.settings.database_url or '')} is up to date.")


@cli.group()
def templates() -> None:
    """The .docx letter templates."""


@templates.command("check")
@pass_context
def templates_check(context: _Context) -> None:
    """List each template's variables; fail on any the program does not supply."""
    from correspond.draft.check import check_templates, format_report
    from correspond.shipped import shipped_path

    folder = context.settings.templates_dir
    if not folder.is_dir() and folder == context.settings.home / "templates":
        click.echo(f"{folder} does not exist yet (`correspond serve` copies the shipped "
                   "templates there at first start); these are the shipped templates:")
        folder = shipped_path("templates")
    reports = check_templates(folder)
    click.echo(format_report(reports))
    if not reports or any(report.problems for report in reports):
        sys.exit(1)


@cli.command()
@click.argument("directory", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--json", "json_path", type=click.Path(dir_okay=False, path_type=Path),
              help="Also write the figures to this JSON file.")
@click.option("--no-fail", is_flag=True,
              help="Exit 0 even when a target is missed (the figures are still printed).")
@pass_context
def evaluate(context: _Context, directory: Path, json_path: Path | None,
             no_fail: bool) -> None:
    """Measure quality on a labelled set: extraction on letters with .gold.json answers,
    or matching on a case set (a folder with cases.csv and letters.jsonl). Exits 1 when
    an extraction target is missed."""
    missed: list[str] = []
    if (directory / "cases.csv").is_file():
        from correspond.evaluation.matching import evaluate_matching, format_matching_report

        report = evaluate_matching(directory, context.settings)
        click.echo(format_matching_report(report))
    else:
        from correspond.evaluation.extraction import (
            evaluate_extraction,
            format_extraction_report,
            missed_targets,
        )

        report = evaluate_extraction(directory, context.settings)
        click.echo(format_extraction_report(report))
        missed = missed_targets(report)
    if json_path is not None:
        json_path.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n", "utf-8")
    if missed and not no_fail:
        _fail(f"{len(missed)} target{'s' if len(missed) > 1 else ''} missed: "
              f"{', '.join(missed)} (see the table above).")


@cli.command("settings")
@click.option("--explain", is_flag=True,
              help="List each setting's default and meaning instead.")
@pass_context
def show_settings(context: _Context, explain: bool) -> None:
    """The value of every setting in force and where it came from: default,
    correspond.toml, environment (CORRESPOND_*) or flag (--home)."""
    if explain:
        for name, default, meaning in describe_settings():
            click.echo(name + (f"  (default {default})" if default is not None else ""))
            click.echo(f"    {meaning}")
    else:
        click.echo(_columns([("setting", "from", "value"),
                             *settings_in_force(context.settings)]))


def _columns(rows: list[tuple[str, ...]]) -> str:
    """Rows as aligned columns, two spaces apart; the last column as long as it needs."""
    widths = [max(len(row[index]) for row in rows) for index in range(len(rows[0]) - 1)]
    return "\n".join("  ".join([*(cell.ljust(width) for cell, width in zip(row, widths)),
                                row[-1]]).rstrip() for row in rows)


def _print_referral(referral: dict, as_json: bool) -> None:
    if as_json:
        click.echo(json.dumps(referral, ensure_ascii=False))
        return
    from correspond.cli.summary import describe_referral

    click.echo(describe_referral(referral))


def _print_import(report: SaveReport, problems: list[RowProblem], note: str = "") -> None:
    for problem in problems:
        click.echo(f"line {problem.line}: {problem.reason}", err=True)
    click.echo(f"{report.added} added, {report.updated} updated, {report.unchanged} unchanged, "
               f"{len(problems)} rejected{note}")


def _parse_mapping(pairs: tuple[str, ...]) -> dict[str, str]:
    mapping = {}
    for pair in pairs:
        column, separator, header = pair.partition("=")
        if not separator:
            raise click.BadParameter(f"'{pair}' is not COLUMN=HEADER", param_hint="--map")
        mapping[column.strip()] = header.strip()
    return mapping


def _fail(message: str) -> NoReturn:
    click.echo(message, err=True)
    sys.exit(1)


def main() -> None:
    try:
        cli()
    except CorrespondError as err:
        click.echo(err.reason, err=True)
        sys.exit(1)


if __name__ == "__main__":
    main()
