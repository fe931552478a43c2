"""KEFU_SHOP_BACKEND=medusa settings: each checked at start-up with a clear message that never shows a
secret, and a backend that cannot start is one line and exit status 2."""
from __future__ import annotations

import pytest

from adapters.shops.medusa import MedusaShop
from bot.errors import CommandError
from bot.settings import SettingsError, load_settings
from bot.shops import build_shop, start_shop
from core.store import Store
from tests.helpers import start_kefu
from tests.pg import free_port


def medusa(**values: object):
    return load_settings(env_file=None, kefu_shop_backend="medusa", kefu_db_path=":memory:", **values)


@pytest.mark.parametrize("values, message", [
    ({}, "MEDUSA_URL: required when KEFU_SHOP_BACKEND=medusa"),
    ({"medusa_url": "http://127.0.0.1:9000"}, "MEDUSA_API_KEY, or MEDUSA_ADMIN_EMAIL and MEDUSA_ADMIN_PASSWORD"),
    ({"medusa_url": "http://127.0.0.1:9000", "medusa_admin_email": "a@example.com"}, "MEDUSA_ADMIN_PASSWORD"),
    ({"medusa_url": "http://127.0.0.1:9000", "medusa_api_key": "pk_publishable-key-0001"}, "starts with sk_"),
    ({"medusa_url": "http://127.0.0.1:9000", "medusa_api_key": "sk_x", "medusa_events_secret": "short-secret"},
     "MEDUSA_EVENTS_SECRET: at least 16 characters"),
    ({"medusa_url": "ftp://shop", "medusa_api_key": "sk_x"}, "MEDUSA_URL"),
])
def test_bad_medusa_settings_are_named_without_their_secrets(values, message):
    with pytest.raises(SettingsError, match=message) as error:
        medusa(**values)
    assert "pk_publishable-key-0001" not in str(error.value) and "short-secret" not in str(error.value)


def test_medusa_settings_build_the_medusa_backend():
    settings = medusa(medusa_url="http://127.0.0.1:9000", medusa_api_key="sk_x")
    store = Store(":memory:")
    assert isinstance(build_shop(settings, store), MedusaShop)
    store.close()


async def test_a_medusa_that_cannot_be_reached_stops_start_up_with_one_line_and_status_2():
    settings = medusa(medusa_url=f"http://127.0.0.1:{free_port()}", medusa_api_key="sk_secret_value")
    store = Store(":memory:")
    try:
        with pytest.raises(CommandError) as error:
            await start_shop(build_shop(settings, store))
    finally:
        store.close()
    assert error.value.status == 2
    assert str(error.value).startswith("cannot start the medusa shop backend: cannot reach Medusa at http://127.0.0.1:")
    assert "sk_secret_value" not in str(error.value) and "\n" not in str(error.value)


def test_kefu_run_with_a_medusa_it_cannot_reach_says_so_in_one_line_and_exits_2(tmp_path):
    process = start_kefu(tmp_path, "run", KEFU_PORT="0", KEFU_SHOP_BACKEND="medusa",
                         MEDUSA_URL=f"http://127.0.0.1:{free_port()}", MEDUSA_API_KEY="sk_secret_value")
    out, err = process.communicate(timeout=120)
    assert process.returncode == 2, (out, err)
    [line] = err.strip().splitlines()[-1:]
    assert line.startswith("kefu run: cannot start the medusa shop backend: cannot reach Medusa at http://127.0.0.1:")
    assert "sk_secret_value" not in out + err and "Traceback" not in err


def test_kefu_bench_shop_without_a_medusa_says_what_to_set(tmp_path):
    process = start_kefu(tmp_path, "bench", "shop")
    out, err = process.communicate(timeout=120)
    assert process.returncode == 2 and "set MEDUSA_URL and its credentials" in err and "Traceback" not in err
