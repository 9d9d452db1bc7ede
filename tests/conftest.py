"""Shared fixtures: sample sites on 127.0.0.1, throw-away stores (SQLite, and PostgreSQL when
it answers), and a subprocess runner for the CLI (the Twisted reactor runs once per process)."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import uuid
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.orm import Session, sessionmaker

from aoud_tracker import store
from aoud_tracker.demo.server import SampleSites
from aoud_tracker.topic import Topic, load_topic

if TYPE_CHECKING:
    from collections.abc import Iterator

FIXTURES = Path(__file__).parent / "fixtures"
POSTGRES_ADMIN_URL = os.environ.get(
    "AOUD_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")


def require_program(*names: str) -> str:
    """The path of the first of these programs on PATH; a skip without it, a failure in CI
    (.ci/run installs them from Debian's packages)."""
    for name in names:
        if found := shutil.which(name):
            return found
    if IN_CI:
        pytest.fail(f"CI=true but {names[0]} is not installed (.ci/run installs it with apt-get)")
    pytest.skip(f"{names[0]} is not installed (apt-get install {names[0]})")


@pytest.fixture(scope="session")
def topic() -> Topic:
    return load_topic()


@pytest.fixture(scope="session")
def sample_sites() -> Iterator[SampleSites]:
    with SampleSites() as sites:
        yield sites


def _postgres_answers() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 5432), timeout=1):
            return True
    except OSError:
        return False


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh store URL: a SQLite file under tmp_path, or a throw-away PostgreSQL database."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'tracker.db'}"
        return
    if not _postgres_answers():
        if IN_CI:
            pytest.fail("CI=true but PostgreSQL does not answer at 127.0.0.1:5432")
        pytest.skip("PostgreSQL does not answer at 127.0.0.1:5432")
    name = f"aoud_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield POSTGRES_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture
def engine(db_url: str) -> Iterator[Engine]:
    engine = store.make_engine(db_url)
    yield engine
    engine.dispose()


@pytest.fixture
def sessions(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, expire_on_commit=False)


def run_cli(
    *args: str, cwd: Path, timeout: float = 240, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """Run `python -m aoud_tracker ARGS` in a subprocess and capture its output."""
    environment = {k: v for k, v in os.environ.items() if not k.startswith("AOUD_")}
    environment.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "aoud_tracker", *args],
        cwd=cwd,
        env=environment,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
