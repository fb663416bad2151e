"""One settings object from GDNN_* variables and an optional .env file."""

from pathlib import Path

import pytest
from pydantic import ValidationError

from gdnn_monitor.core.settings import SHIPPED_SOURCES, Settings, get_settings


def test_defaults_work_on_an_empty_machine(settings_env, monkeypatch):
    monkeypatch.delenv("GDNN_DATABASE_URL")
    monkeypatch.delenv("GDNN_DOWNLOAD_DELAY")
    get_settings.cache_clear()
    settings = get_settings()
    assert settings.database_url.startswith("sqlite:///") and settings.database_url.endswith("gdnn-monitor.sqlite3")
    assert settings.sources == SHIPPED_SOURCES and SHIPPED_SOURCES.exists()
    assert settings.download_delay == 1.0
    assert settings.redis_url is None
    assert settings.timezone == "Asia/Ho_Chi_Minh"
    assert str(settings.tz) == "Asia/Ho_Chi_Minh"


def test_environment_variables_with_the_gdnn_prefix_override(settings_env, monkeypatch, tmp_path):
    monkeypatch.setenv("GDNN_DATABASE_URL", "postgresql://u@127.0.0.1/x")
    monkeypatch.setenv("GDNN_SOURCES", str(tmp_path / "s.yaml"))
    monkeypatch.setenv("GDNN_DOWNLOAD_DELAY", "2.5")
    monkeypatch.setenv("GDNN_REDIS_URL", "redis://127.0.0.1:6379/0")
    monkeypatch.setenv("GDNN_TIMEZONE", "Asia/Bangkok")
    settings = Settings()
    assert settings.database_url == "postgresql://u@127.0.0.1/x"
    assert settings.sources == tmp_path / "s.yaml"
    assert settings.download_delay == 2.5
    assert settings.redis_url == "redis://127.0.0.1:6379/0"
    assert settings.timezone == "Asia/Bangkok"


def test_dotenv_file_in_the_working_directory_is_read(settings_env, monkeypatch, tmp_path):
    monkeypatch.delenv("GDNN_DOWNLOAD_DELAY")
    (tmp_path / ".env").write_text("GDNN_DOWNLOAD_DELAY=3\nGDNN_REDIS_URL=\n", encoding="utf-8")
    settings = Settings()
    assert settings.download_delay == 3.0
    assert settings.redis_url is None


@pytest.mark.parametrize(
    "name,value",
    [
        ("GDNN_DOWNLOAD_DELAY", "-1"),
        ("GDNN_DOWNLOAD_DELAY", "nhanh"),
        ("GDNN_TIMEZONE", "Asia/Hanoi_City"),
        ("GDNN_COUNT_SYNDICATED", "sometimes"),
        ("GDNN_LOG_FORMAT", "jsonl"),
    ],
)
def test_bad_values_are_refused_naming_the_setting(settings_env, monkeypatch, name, value):
    monkeypatch.setenv(name, value)
    with pytest.raises(ValidationError) as error:
        Settings()
    assert name.removeprefix("GDNN_").lower() in str(error.value)


def test_sqlite_file_and_its_folder_are_created_on_first_use(settings_env, monkeypatch, tmp_path):
    from store.db import get_engine

    target = tmp_path / "deep" / "er" / "db.sqlite3"
    get_engine(f"sqlite:///{target}")
    assert target.exists()


def test_every_setting_is_documented_in_the_readme():

    from gdnn_monitor.core.settings import Settings

    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    table = "\n".join(line for line in readme.splitlines() if line.startswith("| `GDNN_"))
    missing = [f"GDNN_{name.upper()}" for name in Settings.model_fields if f"`GDNN_{name.upper()}`" not in table]
    assert not missing, f"settings missing from the README's table: {missing}"
