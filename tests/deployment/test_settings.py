"""The deployment settings: what they accept, and the one clear error for anything else."""

from __future__ import annotations

import pytest

from hub.infrastructure.config import ConfigurationError, Settings

pytestmark = pytest.mark.database_independent

REPLICA = "postgresql+asyncpg://hub@replica.internal:5432/hub"


def test_the_pooler_and_the_replica_are_read_from_the_environment():
    settings = Settings.from_env(
        {
            "HUB_DATABASE_POOLER": "transaction",
            "HUB_DATABASE_REPLICA_URL": REPLICA,
            "HUB_REPLICA_MAX_LAG_SECONDS": "2.5",
        }
    )

    assert settings.database_pooler == "transaction"
    assert settings.database_replica_url == REPLICA
    assert settings.replica_max_lag_seconds == 2.5


def test_by_default_nothing_pools_and_there_is_no_replica():
    settings = Settings.from_env({})

    assert settings.database_pooler == "none"
    assert settings.database_replica_url is None
    assert settings.replica_max_lag_seconds == 5.0


@pytest.mark.parametrize("value", ["session", "statement", "TRANSACTION", "yes"])
def test_a_pooler_mode_the_hub_does_not_know_is_refused(value):
    with pytest.raises(ConfigurationError) as refused:
        Settings.from_env({"HUB_DATABASE_POOLER": value})

    assert str(refused.value) == (
        "HUB_DATABASE_POOLER must be 'none' or 'transaction' (PgBouncer's transaction "
        f"pooling), not {value!r}"
    )


@pytest.mark.parametrize(
    "url", ["sqlite+aiosqlite:///replica.db", "postgresql://hub@replica/hub", "replica"]
)
def test_a_replica_that_is_not_an_asyncpg_postgresql_url_is_refused(url):
    with pytest.raises(ConfigurationError) as refused:
        Settings.from_env({"HUB_DATABASE_REPLICA_URL": url})

    assert "HUB_DATABASE_REPLICA_URL must be a PostgreSQL streaming replica" in str(refused.value)
    assert repr(url) in str(refused.value)


@pytest.mark.parametrize("value", ["soon", "-1", "inf", "nan"])
def test_a_lag_limit_that_is_not_a_number_of_seconds_is_refused(value):
    with pytest.raises(ConfigurationError) as refused:
        Settings.from_env({"HUB_REPLICA_MAX_LAG_SECONDS": value})

    assert str(refused.value) == (
        f"HUB_REPLICA_MAX_LAG_SECONDS must be a number of seconds, 0 or more, not {value!r}"
    )
