"""Durable storage of the reading room: SQLAlchemy 2 models, Alembic migrations, the audit chain.

    models.py     tables (users, studies, reports and versions, flag decisions, signatures,
                  addenda, jobs, audit entries)
    db.py         engines (SQLite by default, PostgreSQL by URL), sessions, ``upgrade``
    audit.py      append to and verify the hash-chained audit trail
    alembic/      migrations (package data, run programmatically)

Only the use-case layer (:mod:`reporter.service`) imports this package.
"""

from reporter.storage.db import default_url, make_engine, make_sessionmaker, upgrade

__all__ = ["default_url", "make_engine", "make_sessionmaker", "upgrade"]
