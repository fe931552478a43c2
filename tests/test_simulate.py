"""kefu eval simulate (bot/evals/simulate/): tasks from the shop's own data, the rule-based shopper, the
judge, and small runs on the demo and tau shops held at the measured floor."""
from __future__ import annotations

import argparse
import random
from datetime import date
from types import SimpleNamespace

import pytest

from bot.evals.dialogues import SHOPS, shop_template, story_settings
from bot.evals.simulate import cli
from bot.evals.simulate.phrasing import typo
from bot.evals.simulate.report import pass_rates
from bot.evals.simulate.runner import play
from bot.evals.simulate.shopper import Shopper
from bot.evals.simulate.tasks import FLOWS, generate_tasks
from core.i18n import t
from core.messages import Reply
from core.shop.aftersales import ShopPolicy

FLOOR = {"demo": 0.95, "tau": 0.85}  # pass^1 of the small run below, measured 2026-12-03: demo 0.99, tau 0.90


@pytest.fixture(scope="module", params=["demo", "tau"])
def shop(request):
    template = shop_template(request.param)
    policy = ShopPolicy.load(story_settings(request.param).kefu_shop_policy_path)
    yield request.param, template, policy, date.fromisoformat(SHOPS[request.param].now[:10])
    template.close()


def test_tasks_cover_every_flow_and_language_with_outcomes_from_the_policy(shop):
    name, template, policy, today = shop
    tasks = generate_tasks(template, policy, today)
    assert {(task.flow, task.lang) for task in tasks} == {(f, lang) for f in FLOWS for lang in ("zh", "en")}
    for task in tasks:
        if task.flow == "cancel" and task.answer == "yes":
            status = template.orders.get(task.order_id)["status"]
            assert (task.outcome == "changed") == policy.allows("cancel", status), task
    assert any(task.outcome == "unchanged" for task in tasks if task.flow == "cancel" and task.answer == "yes")
    assert any(task.any_of for task in tasks if task.flow == "option")  # an option the product is not sold in
    if name == "tau":  # no linked channel: identity by email and zip
        assert not any(task.linked for task in tasks)


async def test_the_judge_fails_an_assistant_that_always_says_ok(shop):
    name, template, policy, today = shop

    class OkAssistant:
        async def handle(self, message):
            return SimpleNamespace(replies=[Reply(text="ok")])

    tasks = generate_tasks(template, policy, today, per_flow=1)
    runs = [await play(task, 0, template, lambda store: OkAssistant(), SHOPS[name].now) for task in tasks]
    assert pass_rates(runs)[1] < 0.2
    assert all(not run.success for run in runs if run.task.facts)


# On PostgreSQL the first small run had not finished after 6 minutes here; the cause is not found yet
# (a scratch copy of the demo shop, one per task, takes 0.45 s there). docs/SCALING.md.
SIMULATION_RUN = pytest.mark.sqlite_only("too slow on PostgreSQL for now (cause not found: docs/SCALING.md)")


def _args(*argv: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser()
    cli.configure(parser)
    return parser.parse_args(list(argv))


@pytest.mark.parametrize("name", ["demo", "tau"])
@SIMULATION_RUN
async def test_a_small_run_passes_at_the_measured_floor(name):
    runs = await cli.simulate(_args("--shop", name, "--tasks", "2", "--k", "2"))
    tasks, pass1, passk = pass_rates(runs)
    assert tasks >= 30 and passk <= pass1
    assert pass1 >= FLOOR[name], [(r.task.name, r.problems) for r in runs if not r.success]


@SIMULATION_RUN
async def test_a_fixed_seed_plays_the_same_transcripts():
    args = ("--shop", "demo", "--tasks", "1", "--k", "1", "--flows", "cancel,track", "--seed", "3")
    first, second = await cli.simulate(_args(*args)), await cli.simulate(_args(*args))
    assert [r.transcript for r in first] == [r.transcript for r in second]
    other = await cli.simulate(_args(*args[:-1], "4"))
    assert [r.transcript for r in other] != [r.transcript for r in first]


def test_typos_never_touch_order_numbers_emails_or_digits():
    rng = random.Random(1)
    for _ in range(200):
        slipped = typo("please cancel order #W1234567 for ann@example.com 200001", 1.0, rng)
        assert "#W1234567" in slipped and "ann@example.com 200001" in slipped
    assert typo("where is my order", 0.0, rng) == "where is my order"


def test_the_shopper_answers_the_bots_prompts(shop):
    name, template, policy, today = shop
    task = next(task for task in generate_tasks(template, policy, today) if task.flow == "cancel" and not task.linked)
    shopper = Shopper(task, 0)
    shopper.opening()
    asked = t("need_identity_chat", task.lang)
    assert task.email in shopper.react(asked) and task.zip in shopper.react(asked)
    shopper.digress = False
    shopper.queue.clear()
    confirm = t("confirm_cancel_order", task.lang, order_id=task.order_id, items="x", refund="y")
    assert shopper.react(t("auth_failed", task.lang)) is None
    assert shopper.react(confirm)
