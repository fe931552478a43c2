"""Product types written with a typo (#20): one edit of an English type word or phrase, a Chinese
character replaced by a homophone or, inside a longer word, by any character — and ordinary words
one edit away from a type word are never taken for it."""
from __future__ import annotations

import pytest

from core.messages import Identity, InboundMessage
from core.retrieval.product_types import ProductTypes
from core.retrieval.typos import TypoFinder, near_reading

SHOP_CATEGORIES = [{"id": "shoes", "name_zh": "鞋履", "name_en": "Shoes", "aliases": ["鞋子", "shoes", "跑鞋"]},
                   {"id": "electronics", "name_zh": "数码耳机", "name_en": "Electronics & Headphones",
                    "aliases": ["耳机", "headphones", "键盘", "keyboard"]},
                   {"id": "dresses", "name_zh": "连衣裙", "name_en": "Dresses", "aliases": ["连衣裙", "dress"]}]
SHOP_PRODUCTS = [{"id": "P1", "title_zh": "帆布高帮休闲鞋", "title_en": "High-top canvas shoes"},
                 {"id": "P2", "title_zh": "轻量缓震跑步鞋", "title_en": "Lightweight cushioned running shoes"}]


@pytest.fixture(scope="module")
def types():
    return ProductTypes(SHOP_CATEGORIES, SHOP_PRODUCTS)


@pytest.mark.parametrize(("text", "said", "name_en"), [
    ("连血裙", "连血裙", "dress"),                   # inside a three-character word, any character
    ("有没有红色的连衣群", "连衣群", "dress"),         # a homophone (裙 / 群)
    ("跑部鞋有吗", "跑部鞋", "running shoes"),
    ("有没有蓝芽耳机", "蓝芽耳机", "wireless earbuds"),  # longer and more specific than the exact 耳机
    ("any headphnes under 500?", "headphnes", "headphones"),
    ("runing shoes for women", "runing shoes", "running shoes"),  # more specific than the exact "shoes"
    ("a new keybord", "keybord", "keyboard"),
    ("ear buds please", "ear buds", "headphones"),
    ("one headphone", "headphone", "headphones"),     # the singular is no typo but is found
])
def test_a_typo_of_a_type_word_finds_the_type(types, text, said, name_en):
    kind = types.find(text)
    assert kind is not None and kind.said == said and kind.names["en"] == name_en


def test_a_typo_of_a_type_keeps_its_category_and_what_fits_it(types):
    kind = types.find("连血裙")
    assert kind.category == "dresses" and kind.fits({"title_zh": "法式碎花连衣裙"})
    assert types.find("headphnes").within == "electronics"


@pytest.mark.parametrize("text", [
    "I was charged twice", "click the link", "do you sell spare parts", "what he wants", "it's a battle",
    "I'm dressed for it", "tables and more", "the shops are closed",
    "我想写字", "暑假有活动吗", "这辈子没见过", "给我的印象很好", "二级市场", "我在收集资料",
    "我要投诉，快递三天都没动",
])
def test_ordinary_words_are_no_typos_of_a_type(types, text):
    assert types.find(text) is None


def test_a_pair_the_shop_writes_is_no_typo():
    finder = TypoFinder(["板鞋"], ["帆布高帮休闲鞋"])
    assert finder.find("高帮鞋") is None           # 高帮 is in a title: not 板鞋 with 帮 for 板
    assert TypoFinder(["板鞋"], []).find("高帮鞋") is None  # a two-character word takes only exact homophones
    assert TypoFinder(["板鞋"], []).find("扳鞋").word == "板鞋"


def test_readings():
    assert near_reading("衣", "医") and not near_reading("衣", "血")
    assert near_reading("声", "生") and near_reading("身", "森") and not near_reading("身", "森", fuzzy=False)


def test_a_typo_wins_over_an_exact_word_only_around_it(types):
    assert types.find("running shoes").said == "running shoes"
    assert types.find("a dress and runing shoes").said == "dress"  # the exact word stands elsewhere


async def test_a_dress_written_with_a_typo_is_searched_as_a_dress(assistant):
    result = await assistant.handle(InboundMessage(Identity("web", "typo-dress"), "有没有红色的连血裙"))
    cards = [c.product_id for r in result.replies for c in r.cards]
    assert set(cards) == {"D1", "D3"}  # the red dresses, not every red thing
    assert "连衣裙" in result.replies[0].text


def test_eval_search_judges_the_first_card_or_a_plain_nothing_fits(tmp_path, capsys):
    from bot.cli import main

    data = tmp_path / "mine.tsv"
    data.write_text("text\tshop\texpected\n碎花连血裙\tdemo\tdresses\n100元以下的连衣裙\tdemo\tnone\n"
                    "有没有连衣裙\tdemo\tbags\n", encoding="utf-8")
    assert main(["--env-file", str(tmp_path / "none.env"), "eval", "search", str(data)]) == 0
    out = capsys.readouterr().out
    assert "mine: 2/3 = 66.7%" in out and "expected bags" in out and "got dresses" in out
    bad = tmp_path / "bad.tsv"
    bad.write_text("text\tlabel\nhi\tneutral\n", encoding="utf-8")
    assert main(["--env-file", str(tmp_path / "none.env"), "eval", "search", str(bad)]) == 2
    assert "bad.tsv:1: expected the header" in capsys.readouterr().out
