"""Alembic environment. The workbench runs it in-process (workbench.storage.store.migrate) with a
connection passed in config.attributes; the alembic command line works too with -x url=..."""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine

from workbench.storage.models import Base

config = context.config
target_metadata = Base.metadata


def run_migrations() -> None:
    connection = config.attributes.get("connection")
    if connection is None:
        url = context.get_x_argument(as_dictionary=True).get("url") or config.get_main_option(
            "sqlalchemy.url"
        )
        if not url:
            raise SystemExit("pass the database as: alembic -x url=sqlite:///path.db upgrade head")
        with create_engine(url).connect() as conn:
            _run(conn)
            conn.commit()
    else:
        _run(connection)


def _run(connection: object) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=True,  # SQLite can only ALTER through table copies
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


run_migrations()
