"""A plain report of a problem with an order is recognised in zh and en, typos included, and gets an
apology without angry words; hypotheticals, negations, policy questions and neutral requests do not
(issue #20, core/sentiment/problems.py). Every sentence here was written for this test."""
from __future__ import annotations

import pytest

from bot.evals.outcomes import apologised_among, demo_assistant
from core.sentiment.problems import reports_problem

REPORTS = {
    "en": [
        "the lamp shade came dented",
        "my kettle leaks from the bottom",
        "the charger doesn't work at all",
        "one of the two cushions is missing",
        "got the wrong colour, I picked navy",
        "you billed me twice for the same jacket",
        "three weeks and my parcel still hasn't arrived",
        "the courier was rude and threw the box",
        "I haven't received my refund yet",
        "the strap snapped on day one",
        "the screen is borken",          # typo
        "I never recieved the second box",  # typo
        "the bottle was already opened when it came",
    ],
    "zh": [
        "台灯的灯罩压扁了",
        "水壶底下漏水",
        "充电器根本充不进电",
        "两个抱枕只收到一个",
        "颜色发错了，我选的是藏青",
        "同一件外套扣了我两次钱",
        "等了三个星期包裹还没到",
        "快递员态度很差还扔箱子",
        "退款到现在还没到账",
        "背带第一天就断了",
        "屏幕怀了",                     # typo: 坏 → 怀
        "第二箱我一直没受到",           # typo: 收 → 受
        "瓶子到的时候已经被打开了",
        "收到的裙子色差很大",
        "尺码表标得不准，穿着小一号",
    ],
}

NOT_REPORTS = {
    "en": [
        "what if the vase arrives broken?",
        "can I return a damaged item?",
        "are there any delays this week?",
        "nothing is missing, thanks",
        "the box wasn't damaged at all",
        "no rush if it's late",
        "is it too late to change my order?",
        "do you sell replacement zippers",
        "I changed my mind about the colour",
        "I'd like the blue one in size M",
        "I cancelled my order yesterday, when does the money come back",
    ],
    "zh": [
        "万一路上摔坏了怎么办",
        "如果尺码不对可以换吗",
        "东西没坏，就是想问问保修",
        "晚点到没关系",
        "孩子三岁了穿多大码",
        "这款容易坏吗",
        "一般几天能到",
        "说好了，就要这个",
        "我刚才到家，帮我查下物流",
        "能少一点吗",
        "有没有蓝色的",
        "这件会掉色吗",
        "实物有色差吗？",
        "颜色我说不准，你帮我挑",
    ],
}


@pytest.mark.parametrize("lang,text", [(lang, text) for lang, texts in REPORTS.items() for text in texts])
def test_a_plain_problem_report_is_recognised(lang, text):
    assert reports_problem(text, lang)


@pytest.mark.parametrize("lang,text", [(lang, text) for lang, texts in NOT_REPORTS.items() for text in texts])
def test_hypotheticals_negations_and_requests_are_no_report(lang, text):
    assert not reports_problem(text, lang)


async def test_a_factual_problem_report_gets_an_apology_and_a_question_none():
    assistant = demo_assistant()
    reports = {"en": ["the lamp shade came dented", "you billed me twice for the same jacket"],
               "zh": ["台灯的灯罩压扁了", "退款到现在还没到账"]}
    questions = {"en": ["what if the vase arrives broken?", "can I return a damaged item?"],
                 "zh": ["万一路上摔坏了怎么办", "一般几天能到"]}
    for lang in ("en", "zh"):
        assert await apologised_among(assistant, reports[lang], lang, f"report-{lang}") == reports[lang]
        assert await apologised_among(assistant, questions[lang], lang, f"question-{lang}") == []
