"""Alembic environment: run with the engine handed over by :func:`reporter.storage.db.upgrade`."""

from alembic import context

from reporter.storage.models import Base

engine = context.config.attributes["engine"]
with engine.begin() as connection:
    context.configure(connection=connection, target_metadata=Base.metadata, render_as_batch=True)
    context.run_migrations()
