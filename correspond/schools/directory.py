"""The register as the service uses it: loaded from the database once, kept in memory, and
loaded again when an import (in this process or another, such as the command line) has
changed it since."""

from __future__ import annotations

import logging
import threading
from dataclasses import replace
from datetime import datetime

from correspond.records import Extraction, SchoolResolution
from correspond.schools.register import SchoolRegister
from correspond.store import schools as school_store
from correspond.store.database import Database

log = logging.getLogger(__name__)


class SchoolDirectory:
    def __init__(self, db: Database, *, local_la: str | None = None) -> None:
        self.db = db
        self.local_la = local_la
        self._lock = threading.Lock()  # several ingest threads may ask at once
        self._register = SchoolRegister((), local_la=local_la)
        self._version: datetime | None = None

    def register(self) -> SchoolRegister:
        """The register as last imported."""
        with self.db.reading() as connection:
            version = school_store.register_version(self.db, connection)
        with self._lock:
            if version != self._version:
                self._load(version)
            return self._register

    def resolve(self, written: str) -> SchoolResolution:
        return self.register().resolve(written)

    def resolve_children(
        self, extraction: Extraction
    ) -> tuple[Extraction, tuple[SchoolResolution | None, ...]]:
        """See resolve_children; nothing changes while the register is empty."""
        register = self.register()
        if not len(register):
            return extraction, ()
        return resolve_children(extraction, register)

    def _load(self, version: datetime | None) -> None:
        with self.db.reading() as connection:
            records = list(school_store.all_schools(self.db, connection))
        reloading = self._version is not None
        self._register = SchoolRegister(records, local_la=self.local_la)
        self._version = version
        log.log(logging.INFO if reloading else logging.DEBUG,
                "school register %s: %d open schools, %d in schools_la",
                "reloaded after an import" if reloading else "loaded",
                len(self._register), self._register.local_size)
        if self.local_la and records and not self._register.local_size:
            log.warning("schools_la %r matches no open school in the register; names are "
                        "resolved among all schools", self.local_la)


def resolve_children(
    extraction: Extraction, register: SchoolRegister
) -> tuple[Extraction, tuple[SchoolResolution | None, ...]]:
    """Each child's school resolved against the register, in the children's order (None
    for a child with no school named). A resolved school gets its URN; an ambiguous or
    unknown one keeps a null URN, so nothing is guessed."""
    resolutions: list[SchoolResolution | None] = []
    children = []
    for child in extraction.children:
        if child.school is None or not child.school.name.strip():
            resolutions.append(None)
            children.append(child)
            continue
        resolution = register.resolve(child.school.name)
        resolutions.append(resolution)
        urn = resolution.urn if resolution.status == "resolved" else child.school.urn
        children.append(replace(child, school=replace(child.school, urn=urn)))
    return replace(extraction, children=tuple(children)), tuple(resolutions)
