"""Bringing a database to the newest schema, from the command line or from tests."""

from __future__ import annotations

from alembic import command
from alembic.config import Config

from hub.shipped import MIGRATIONS


def alembic_config(database_url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["url"] = database_url
    return config


def upgrade_to_head(database_url: str) -> None:
    """Runs every pending migration; a database already at head is left as it is."""
    command.upgrade(alembic_config(database_url), "head")
