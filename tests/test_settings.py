"""Settings come from the environment or .env and are validated with clear errors."""
from __future__ import annotations

import pytest

from bot.settings import SettingsError, load_settings


def test_defaults_need_no_file_and_no_tokens():
    settings = load_settings(env_file=None)
    assert settings.kefu_port == 8080 and settings.kefu_load_demo_shop is True


def test_env_file_is_read(tmp_path):
    env = tmp_path / ".env"
    env.write_text("KEFU_PORT=9191\nKEFU_DEFAULT_LANGUAGE=zh\n", encoding="utf-8")
    settings = load_settings(env)
    assert settings.kefu_port == 9191 and settings.kefu_default_language == "zh"


def test_environment_overrides_and_bad_values_name_the_variable(monkeypatch):
    monkeypatch.setenv("KEFU_PORT", "eighty")
    with pytest.raises(SettingsError, match="KEFU_PORT"):
        load_settings(env_file=None)
    monkeypatch.setenv("KEFU_PORT", "8081")
    monkeypatch.setenv("KEFU_DEFAULT_LANGUAGE", "fr")
    with pytest.raises(SettingsError, match="KEFU_DEFAULT_LANGUAGE"):
        load_settings(env_file=None)


def test_env_example_documents_every_setting():
    from pathlib import Path

    from bot.settings import Settings
    example = (Path(__file__).parent.parent / ".env.example").read_text(encoding="utf-8")
    for name in Settings.model_fields:
        assert f"{name.upper()}=" in example, name


def test_trusted_proxies_are_addresses_or_networks():
    settings = load_settings(env_file=None, kefu_trusted_proxies=" 10.0.0.0/8, ::1 ,")
    assert [str(n) for n in settings.trusted_proxies] == ["10.0.0.0/8", "::1/128"]
    assert load_settings(env_file=None).trusted_proxies == ()
    with pytest.raises(SettingsError, match="KEFU_TRUSTED_PROXIES.*'proxy.local'"):
        load_settings(env_file=None, kefu_trusted_proxies="10.0.0.1, proxy.local")
