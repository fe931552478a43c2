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


def test_trusted_proxies_are_addresses_or_networks(monkeypatch):
    from ipaddress import ip_network
    assert load_settings(env_file=None).kefu_trusted_proxies == ()
    monkeypatch.setenv("KEFU_TRUSTED_PROXIES", " 10.0.0.1, 172.16.0.0/12,::1,")
    assert load_settings(env_file=None).kefu_trusted_proxies == (
        ip_network("10.0.0.1/32"), ip_network("172.16.0.0/12"), ip_network("::1/128"))
    for bad in ("nginx", "10.0.0.1;10.0.0.2", "10.0.0.0/33"):
        monkeypatch.setenv("KEFU_TRUSTED_PROXIES", bad)
        with pytest.raises(SettingsError, match="KEFU_TRUSTED_PROXIES"):
            load_settings(env_file=None)


def test_an_https_public_url_means_https(monkeypatch):
    assert not load_settings(env_file=None).public_https
    assert load_settings(env_file=None, kefu_public_url="https://shop.example.com").public_https


def test_the_shopify_backend_needs_a_myshopify_store_and_a_token():
    with pytest.raises(SettingsError, match="SHOPIFY_SHOP_DOMAIN and SHOPIFY_ADMIN_TOKEN"):
        load_settings(env_file=None, kefu_shop_backend="shopify")
    with pytest.raises(SettingsError, match="myshopify.com"):
        load_settings(env_file=None, kefu_shop_backend="shopify", shopify_shop_domain="evil.example.com",
                      shopify_admin_token="shpat_x")
    settings = load_settings(env_file=None, kefu_shop_backend="shopify", shopify_shop_domain="kefu.myshopify.com",
                             shopify_admin_token="shpat_x")
    assert settings.shopify_api_version == "2026-04" and settings.shopify_api_secret is None
