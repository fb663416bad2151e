"""Alembic environment: uses the engine handed over by store.migrate, or the URL in the config."""

from alembic import context
from sqlalchemy import create_engine
from sqlmodel import SQLModel

import store.models  # noqa: F401  (registers the tables on SQLModel.metadata)
from store.search import MIGRATION_ONLY

config = context.config
target_metadata = SQLModel.metadata


def _include_name(name, type_, parent_names) -> bool:
    """The search objects migration 0003 makes by hand (FTS5 tables, a pg_trgm index) are not in the models."""
    return name not in MIGRATION_ONLY


def run_migrations_online() -> None:
    engine = config.attributes.get("engine") or create_engine(config.get_main_option("sqlalchemy.url"))
    with engine.begin() as connection:
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            render_as_batch=connection.dialect.name == "sqlite",
            include_name=_include_name,
        )
        context.run_migrations()


run_migrations_online()
