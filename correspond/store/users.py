"""People who may sign in to the desk, and their roles. Passwords are kept only as
Argon2id hashes."""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy.engine import Connection

from correspond.domain.clock import utc_now
from correspond.domain.roles import ROLES
from correspond.domain.text import EMAIL
from correspond.errors import UserProblem
from correspond.store import sessions
from correspond.store.database import Database

MIN_PASSWORD_LENGTH = 12
_hasher = PasswordHasher()  # argon2-cffi's defaults follow RFC 9106's recommendations
# Checked against when the name is unknown, so a wrong name takes as long as a wrong
# password and does not reveal which names exist.
_UNKNOWN_USER_HASH = _hasher.hash("no such user: compare against something")


@dataclass(frozen=True)
class User:
    id: int
    name: str
    role: str
    active: bool
    # An administrator set a one-time password: the person chooses their own at sign-in.
    must_change_password: bool = False
    email: str | None = None

    @property
    def role_label(self) -> str:
        return ROLES[self.role]


def add_user(db: Database, name: str, role: str, password: str) -> User:
    name = name.strip()
    _check_new_user(name, role, password)
    with db.writing() as connection:
        if _row(db, connection, name) is not None:
            raise UserProblem(f"There is already a user called {name}.")
        users = db.table("users")
        user_id = connection.execute(users.insert().values(
            name=name, role=role, password_hash=_hasher.hash(password), active=True,
            created_at=utc_now(),
        ).returning(users.c.id)).scalar_one()
    return User(user_id, name, role, True)


def _check_new_user(name: str, role: str, password: str) -> None:
    if not name or len(name) > 64 or any(ch.isspace() and ch != " " for ch in name):
        raise UserProblem("A user name must be 1 to 64 characters on one line.")
    if role not in ROLES:
        raise UserProblem(f"Unknown role '{role}'; choose one of: {', '.join(ROLES)}.")
    if len(password) < MIN_PASSWORD_LENGTH:
        raise UserProblem(f"The password must be at least {MIN_PASSWORD_LENGTH} characters.")


SWITCHED_OFF = "switched_off"


def authenticate(db: Database, name: str, password: str) -> User | None:
    """The active user with this name and password, or None."""
    found = check_sign_in(db, name, password)
    return found if isinstance(found, User) else None


def check_sign_in(db: Database, name: str, password: str) -> User | str | None:
    """The active user with this name and password; SWITCHED_OFF when the password is
    right but the account is switched off (only the person who knows it learns that);
    None otherwise."""
    with db.reading() as connection:
        row = _row(db, connection, name.strip())
    try:
        _hasher.verify(row.password_hash if row else _UNKNOWN_USER_HASH, password)
    except (VerificationError, InvalidHashError):
        return None
    if row is None:
        return None
    if not row.active:
        return SWITCHED_OFF
    if _hasher.check_needs_rehash(row.password_hash):
        with db.writing() as connection:
            users = db.table("users")
            connection.execute(users.update().where(users.c.id == row.id)
                               .values(password_hash=_hasher.hash(password)))
    return _user(row)


def user_by_id(db: Database, user_id: int) -> User | None:
    users = db.table("users")
    with db.reading() as connection:
        row = connection.execute(sa.select(users).where(users.c.id == user_id)).first()
    return _user(row) if row else None


def all_users(db: Database) -> list[User]:
    users = db.table("users")
    with db.reading() as connection:
        rows = connection.execute(sa.select(users).order_by(users.c.name)).all()
    return [_user(row) for row in rows]


def user_names(db: Database, connection: Connection) -> list[str]:
    """Everyone's desk name, inside the caller's transaction."""
    users = db.table("users")
    return list(connection.execute(sa.select(users.c.name)).scalars())


def set_active(db: Database, user_id: int, active: bool) -> None:
    """Switch an account on or off; switching it off ends all of its sessions at once."""
    users = db.table("users")
    with db.writing() as connection:
        connection.execute(users.update().where(users.c.id == user_id).values(active=active))
        if not active:
            sessions.end_all_for(db, connection, user_id)


def email_of(db: Database, user_id: int) -> str | None:
    users = db.table("users")
    with db.reading() as connection:
        return connection.execute(
            sa.select(users.c.email).where(users.c.id == user_id)).scalar_one_or_none()


def set_email(db: Database, user_id: int, email: str | None) -> None:
    """The address the desk's reminders go to (None: none are sent)."""
    if email is not None and (len(email) > 254 or not EMAIL.fullmatch(email)):
        raise UserProblem("That is not an email address: write it as name@council.gov.uk.")
    users = db.table("users")
    with db.writing() as connection:
        connection.execute(users.update().where(users.c.id == user_id).values(email=email))


def set_role(db: Database, user_id: int, role: str) -> None:
    if role not in ROLES:
        raise UserProblem(f"Unknown role '{role}'; choose one of: {', '.join(ROLES)}.")
    users = db.table("users")
    with db.writing() as connection:
        connection.execute(users.update().where(users.c.id == user_id).values(role=role))
        sessions.end_all_for(db, connection, user_id)  # the new role applies at once


def set_password(db: Database, user_id: int, password: str, *, one_time: bool) -> None:
    """A new password: `one_time` when an administrator sets it (to be changed at the
    next sign-in); the person's own choice otherwise."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise UserProblem(f"The password must be at least {MIN_PASSWORD_LENGTH} characters.")
    users = db.table("users")
    with db.writing() as connection:
        connection.execute(users.update().where(users.c.id == user_id).values(
            password_hash=_hasher.hash(password), must_change_password=one_time))
        if one_time:
            sessions.end_all_for(db, connection, user_id)


def check_password(db: Database, user_id: int, password: str) -> bool:
    users = db.table("users")
    with db.reading() as connection:
        stored = connection.execute(sa.select(users.c.password_hash)
                                    .where(users.c.id == user_id)).scalar_one_or_none()
    try:
        return stored is not None and _hasher.verify(stored, password)
    except (VerificationError, InvalidHashError):
        return False


def _user(row) -> User:
    return User(row.id, row.name, row.role, row.active, bool(row.must_change_password),
                row.email)


def _row(db: Database, connection: Connection, name: str):
    users = db.table("users")
    return connection.execute(sa.select(users).where(users.c.name == name)).first()
