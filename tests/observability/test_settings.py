"""The operator's settings: read from the environment, and refused with a clear message when
they cannot be used."""

from __future__ import annotations

import pytest

from hub.infrastructure.config import ConfigurationError, Settings

pytestmark = pytest.mark.database_independent


def test_unset_there_is_no_token_text_logs_and_no_worker_metrics():
    settings = Settings.from_env({})

    assert (settings.metrics_token, settings.log_format) == (None, "text")
    assert (settings.worker_metrics_host, settings.worker_metrics_port) == ("127.0.0.1", None)


def test_each_is_read_from_the_environment():
    settings = Settings.from_env(
        {
            "HUB_METRICS_TOKEN": "t0ken",
            "HUB_LOG_FORMAT": "json",
            "HUB_WORKER_METRICS_HOST": "0.0.0.0",
            "HUB_WORKER_METRICS_PORT": "9100",
        }
    )

    assert (settings.metrics_token, settings.log_format) == ("t0ken", "json")
    assert (settings.worker_metrics_host, settings.worker_metrics_port) == ("0.0.0.0", 9100)


@pytest.mark.parametrize(
    ("variable", "value", "message"),
    [
        ("HUB_LOG_FORMAT", "yaml", "HUB_LOG_FORMAT must be 'text' or 'json', not 'yaml'"),
        (
            "HUB_WORKER_METRICS_PORT",
            "ninety",
            "HUB_WORKER_METRICS_PORT must be a port, 1-65535, not 'ninety'",
        ),
        (
            "HUB_WORKER_METRICS_PORT",
            "70000",
            "HUB_WORKER_METRICS_PORT must be a port, 1-65535, not '70000'",
        ),
    ],
)
def test_a_value_it_cannot_use_is_refused_by_name(variable, value, message):
    with pytest.raises(ConfigurationError) as refused:
        Settings.from_env({variable: value})

    assert str(refused.value) == message
