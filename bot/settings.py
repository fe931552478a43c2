"""Settings from the environment or a ``.env`` file, validated at start-up.

Every setting is documented, with its default, in ``.env.example``."""
from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field, ValidationError
from pydantic_settings import BaseSettings, SettingsConfigDict


class SettingsError(Exception):
    """A setting has a bad value; the message names the variable."""


class Settings(BaseSettings):
    """Kefu's configuration. Environment variables are the field names upper-cased."""

    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    kefu_db_path: Path = Field(Path("var/kefu.db"), description="SQLite database file")
    kefu_load_demo_shop: bool = Field(True, description="load the demo shop into an empty database")
    kefu_shop_name_zh: str = Field("客服演示商店", description="shop name shown to Chinese-speaking shoppers")
    kefu_shop_name_en: str = Field("Kefu Demo Shop", description="shop name shown to English-speaking shoppers")
    kefu_host: str = Field("127.0.0.1", description="address the web server listens on")
    kefu_port: int = Field(8080, ge=0, le=65535, description="port of the web server (0: any free port)")
    kefu_default_language: Literal["zh", "en"] = Field("en", description="language before a shopper writes")
    kefu_max_message_chars: int = Field(4000, ge=1, description="longer inbound texts are cut to this")
    kefu_log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = Field("INFO", description="log level")


def load_settings(env_file: str | Path | None = ".env", **overrides: object) -> Settings:
    """Read and validate settings; raise :class:`SettingsError` naming each bad variable."""
    try:
        return Settings(_env_file=env_file, **overrides)  # type: ignore[call-arg]
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in err['loc']).upper()}: {err['msg']} (got {err.get('input')!r})"
            for err in exc.errors()
        )
        raise SettingsError(f"invalid settings: {problems}") from None
