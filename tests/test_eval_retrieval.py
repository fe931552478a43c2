"""``kefu eval retrieval``: the recorded knowledge-base search of each question, sorted into answers on
the question's topic, answers on another (or no) topic, and misses."""
from __future__ import annotations

from bot.evals.outcomes import demo_assistant
from bot.evals.retrieval import play
from core.nlu.rasa import Example


async def test_questions_are_sorted_by_what_their_search_quoted():
    examples = [Example("what is your return policy?", "check_refund_policy"),
                Example("what's the weather like tomorrow", "out_of_scope"),
                Example("hi", "greet"),
                Example("what is your return policy?", "greet")]  # labelled with an intent no article is for
    searched = await play(demo_assistant(), examples)
    assert [s.kind for s in searched] == ["right", "missed", "wrong"]  # "hi" searched nothing
    right, missed, wrong = searched
    assert right.language == "en" and right.score == wrong.score > missed.score
