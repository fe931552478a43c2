"""The core's crontab check (core/promotions/crontab.py) accepts exactly what the scheduler runs:
APScheduler's ``CronTrigger.from_crontab``, on hand-picked expressions and on random ones."""
from __future__ import annotations

import random

import pytest
from apscheduler.triggers.cron import CronTrigger

from core.promotions.crontab import check_crontab
from core.promotions.definition import DefinitionError, load_definition

ACCEPTED = ["0 10 * * *", "*/15 9-17 * * mon-fri", "0 9 1,15 * *", "30 8 last * *", "0 0 * jan-mar sun",
            "0 12 * * 0-6", "5-55/10 * * * *", "0 9 * DEC FRI", "0 0 1 1 *", "59 23 31 12 6",
            "0 10 * * 3/2", "0 9 * jan/2 *", "* * last-1 * *"]
REJECTED = ["every monday", "0 10 * *", "0 10 * * * *", "60 * * * *", "* 24 * * *", "* * 0 * *", "* * * 13 *",
            "* * * * 7", "*/0 * * * *", "*/60 * * * *", "5-3 * * * *", "* * * * funday", "* * * smarch *",
            "1,,2 * * * *", "* * L * *", "0 9 * janx *", "a b c d e", "0 10-5/2 * * *"]


def scheduler_accepts(expression: str) -> bool:
    """Whether the scheduler's own parser takes the expression."""
    try:
        CronTrigger.from_crontab(expression, timezone="UTC")
    except ValueError:
        return False
    return True


def core_accepts(expression: str) -> bool:
    try:
        check_crontab(expression)
    except ValueError:
        return False
    return True


@pytest.mark.parametrize("expression", ACCEPTED + REJECTED)
def test_the_core_and_the_scheduler_agree(expression: str) -> None:
    assert core_accepts(expression) == scheduler_accepts(expression) == (expression in ACCEPTED)


def test_they_agree_on_random_expressions() -> None:
    rng = random.Random(22)
    atoms = ["*", "*/", "0", "1", "5", "7", "12", "13", "23", "24", "31", "32", "59", "60", "-", "/", ",", "0/",
             "last", "mon", "sun", "fri", "jan", "dec", "xyz", "L"]
    agreed = 0
    for _ in range(3000):
        fields = ["*"] * 5
        for position in rng.sample(range(5), rng.randint(1, 2)):
            fields[position] = "".join(rng.choice(atoms) for _ in range(rng.randint(1, 3)))
        expression = " ".join(fields)
        assert core_accepts(expression) == scheduler_accepts(expression), expression
        agreed += core_accepts(expression)
    assert 100 < agreed < 2900  # the random expressions are both valid and not


def test_a_campaign_with_a_bad_crontab_names_the_problem() -> None:
    with pytest.raises(DefinitionError, match=r"crontab.*the last value \(60\)"):
        load_definition("name: x\nmessage: {en: hi, zh: 你好}\nschedule: {cron: '0-60 * * * *'}\n")
    assert load_definition("name: x\nmessage: {en: hi, zh: 你好}\nschedule: {cron: '0 9 * * mon-fri'}\n") \
        .schedule.cron == "0 9 * * mon-fri"
