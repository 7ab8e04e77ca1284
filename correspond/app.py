"""Building the parts of the service from settings, so tests get their own folders and DB."""

from __future__ import annotations

from dataclasses import dataclass, field

from correspond.config import Settings
from correspond.draft import Drafter
from correspond.draft.install import install_templates
from correspond.imports.registers import load_shipped_mps
from correspond.ingest import OcrLimits
from correspond.match import CaseMatcher, MatchPolicy
from correspond.pipeline import Pipeline
from correspond.pipeline.workers import ReaderPool
from correspond.schools.directory import SchoolDirectory
from correspond.store import search
from correspond.store.archive import Archive
from correspond.store.database import Database


def start_readers(settings: Settings, workers: int | None = None) -> ReaderPool:
    readers = ReaderPool(
        model_dir=settings.model_dir,
        workers=workers or settings.workers,
        timeout_seconds=settings.read_timeout_seconds,
        memory_mb=settings.worker_memory_mb,
        ocr=OcrLimits(settings.ocr_max_pages, settings.ocr_timeout_seconds),
        council_postcodes=settings.council_postcodes,
    )
    readers.warm_up()
    return readers


@dataclass
class App:
    settings: Settings
    db: Database
    archive: Archive
    readers: ReaderPool | None  # None in the desk alone
    pipeline: Pipeline
    # Edited templates a new shipped version was put beside, for the service's banner.
    template_notices: list[str] = field(default_factory=list)

    def close(self) -> None:
        if self.readers is not None:
            self.readers.close()
        self.db.close()


def build_app(settings: Settings, *, workers: int | None = None,
              read_files: bool = True) -> App:
    """The service's parts on settings' database. Without `read_files` (the desk alone)
    no reader process is started, and the pipeline cannot ingest."""
    settings.make_folders()
    db = Database(settings.database_url, migrate=settings.migrate_at_start)
    try:
        if not settings.migrate_at_start:
            db.require_current_schema()
    except BaseException:
        db.close()
        raise
    search.index_missing(db)  # referrals recorded before the search index existed
    load_shipped_mps(db)  # letters are checked against the House of Commons list from the start
    notices = install_templates(settings.templates_dir)
    archive = Archive(settings.archive_dir)
    archive.remove_leftovers()
    readers = start_readers(settings, workers) if read_files else None
    schools = SchoolDirectory(db, local_la=settings.schools_la)
    schools.register()  # loaded now, not while the first letter waits
    pipeline = Pipeline(settings=settings, db=db, archive=archive, readers=readers,
                        matcher=CaseMatcher(db, MatchPolicy.from_settings(settings)),
                        drafter=Drafter(settings), schools=schools)
    return App(settings, db, archive, readers, pipeline, notices)


def build_web_app(app: App):
    """The web desk on the same database, templates and matcher as the pipeline."""
    from correspond.desk.actions import DeskActions
    from correspond.desk.queries import DeskQueries
    from correspond.watch.inbox import Inbox
    from correspond.web import create_web_app

    actions = DeskActions(app.settings, app.db, app.archive, app.pipeline.drafter,
                          app.pipeline.matcher)
    actions.recover_outbox()
    return create_web_app(app.settings, app.db, DeskQueries(app.db, app.archive), actions,
                          Inbox(app.settings.inbox), app.pipeline)
