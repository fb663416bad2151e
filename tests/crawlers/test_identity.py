"""An honest identity: the User-Agent names the product and the contact given in GDNN_CONTACT, never an invented
address; `init` and `sources check` warn when the contact is unset."""

from __future__ import annotations

import os
import subprocess
import sys

from crawlers.engine.settings import scrapy_settings, user_agent
from gdnn_monitor import __version__
from gdnn_monitor.core.settings import get_settings


def run_cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "gdnn_monitor.cli", *args],
        capture_output=True,
        text=True,
        env=os.environ.copy(),
        timeout=120,
    )


def test_without_a_contact_the_user_agent_names_only_the_product(settings_env):
    assert user_agent(get_settings()) == f"gdnn-monitor/{__version__}"
    assert scrapy_settings(get_settings(), [])["USER_AGENT"] == f"gdnn-monitor/{__version__}"


def test_the_contact_from_gdnn_contact_is_in_the_user_agent(settings_env, monkeypatch):
    monkeypatch.setenv("GDNN_CONTACT", "vanphong@sldtbxh.langson.gov.vn")
    get_settings.cache_clear()
    assert user_agent(get_settings()) == f"gdnn-monitor/{__version__} (+vanphong@sldtbxh.langson.gov.vn)"


def test_init_warns_when_the_contact_is_unset_and_not_when_it_is_set(settings_env, monkeypatch):
    unset = run_cli("init")
    assert unset.returncode == 0 and "GDNN_CONTACT" in unset.stderr
    monkeypatch.setenv("GDNN_CONTACT", "https://sldtbxh.langson.gov.vn/lien-he")
    assert "GDNN_CONTACT" not in run_cli("init").stderr


def test_sources_check_warns_when_the_contact_is_unset(settings_env, tmp_path, monkeypatch):
    sources = tmp_path / "sources.yaml"
    sources.write_text(
        "sources:\n  - id: tat\n    name: Tắt\n    kind: newspaper\n    enabled: false\n", encoding="utf-8"
    )
    monkeypatch.setenv("GDNN_SOURCES", str(sources))
    result = run_cli("sources", "check")
    assert "GDNN_CONTACT" in result.stderr and "e-mail hoặc website" in result.stderr
