"""Alembic: the migrations build exactly the models' schema, and go down and up again."""

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

import domain.models  # noqa: F401  (every table on Base.metadata)
from domain.db import Base, Database, alembic_config


def test_migrations_match_the_models(tmp_path):
    database = Database(f"sqlite:///{tmp_path / 'fresh.db'}")
    database.migrate()
    with database.engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    database.dispose()
    assert differences == []


def test_migrations_go_down_and_up_again(tmp_path):
    url = f"sqlite:///{tmp_path / 'roundtrip.db'}"
    config = alembic_config(url)
    command.upgrade(config, "head")
    command.downgrade(config, "base")
    command.upgrade(config, "head")
