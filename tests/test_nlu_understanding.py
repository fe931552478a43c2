"""What the NLU reads in real shoppers' messages (#20): a yes or no with more words, order ids of every
shape, emails written against Chinese text, and addresses split into their parts."""
from __future__ import annotations

import pytest

from core.dialogue.identity import credentials
from core.nlu.addresses import parse_address
from core.nlu.confirm import yes_or_no
from core.nlu.entities import EntityExtractor, order_ids
from core.nlu.model import SHIPPED_MODEL, IntentModel
from core.nlu.trained import TrainedNLU

# Opens no store: the same on every engine (skipped under --db-engine postgresql, tests/conftest.py).
pytestmark = pytest.mark.no_store


@pytest.mark.parametrize(("text", "reading"), [
    ("对，取消吧", "affirm"), ("yes, cancel it", "affirm"), ("ok, yes, cancel it", "affirm"), ("好，确认取消", "affirm"),
    ("好的，取消", "affirm"), ("Yes, go ahead.", "affirm"), ("sure, do it now", "affirm"), ("嗯，退吧", "affirm"),
    ("no, keep it", "deny"), ("no, don't cancel it", "deny"), ("不用了，先留着", "deny"), ("nah, leave it", "deny"),
    # not a bare yes or no: left to the model and the flows
    ("ok, track my order", None), ("ok, and my own order?", None), ("yes but wait", None), ("是的，不要了", None),
    ("好，查物流", None), ("不，我说错了", None), ("no, I meant W1234567", None), ("yes, change it to blue", None),
    ("yes", None), ("取消吧", None),
])
def test_a_yes_or_no_with_the_actions_word(text, reading):
    assert yes_or_no(text) == reading


async def test_the_nlu_reads_yes_with_the_actions_word_as_yes():
    nlu = TrainedNLU(IntentModel.load(SHIPPED_MODEL), [])
    for text in ("对，取消吧", "yes, cancel it"):
        result = await nlu.parse(text)
        assert result.intent == "affirm" and result.confidence >= 0.6, result
    plain = await nlu.parse("取消订单 W1234567")
    assert plain.intent == "cancel_order"


@pytest.mark.parametrize(("text", "ids"), [
    ("where is my order #W2611340?", ["W2611340"]), ("my order w7741023 never came", ["W7741023"]),
    ("订单号是W5023814，到哪了", ["W5023814"]), ("订单W8341134的笔记本", ["W8341134"]),
    ("订单号是 8831092 麻烦查下", ["8831092"]), ("W1234567 and W7654321", ["W1234567", "W7654321"]),
    # a shop's short numbers, after a marker
    ("#1001", ["1001"]), ("order no. 1001", ["1001"]), ("order number is 12", ["12"]), ("订单号1001", ["1001"]),
    ("订单号是 1001", ["1001"]), ("订单号：1001。", ["1001"]), ("order #1001, thanks", ["1001"]),
    # counts, amounts and times are not order numbers
    ("我的订单10天了还没到", []), ("订单2件", []), ("I want to order 2 shirts", []), ("price 1234567.89", []),
    ("size 9 please", []),
])
def test_order_ids_of_every_shape_and_nothing_else(text, ids):
    assert order_ids(text) == ids


def test_the_extractor_reads_the_first_order_id_and_no_price_from_it():
    entities = EntityExtractor([]).extract("cancel #1001 and W1234567")
    assert entities["order_id"] == "1001" and "max_price_cents" not in entities


def test_an_email_written_against_chinese_text_is_read_with_its_zip():
    text = "我的邮箱是olivia.sanchez1894@example.com，邮编19116"
    entities = EntityExtractor([]).extract(text)
    assert entities["email"] == "olivia.sanchez1894@example.com"
    given = credentials(text, entities)
    assert (given.email, given.zip, given.complete) == ("olivia.sanchez1894@example.com", "19116", True)


@pytest.mark.parametrize(("text", "parts"), [
    ("4127 Maple Avenue, Apt 12, Portland, OR 97205",
     {"line1": "4127 Maple Avenue", "line2": "Apt 12", "city": "Portland", "province": "OR", "zip": "97205"}),
    ("550 Pine Street, Phoenix, AZ 85004", {"line1": "550 Pine Street", "city": "Phoenix", "province": "AZ", "zip": "85004"}),
    ("12 Main St, Boston, Massachusetts 02118",
     {"line1": "12 Main St", "city": "Boston", "province": "Massachusetts", "zip": "02118"}),
    ("88 Nanjing Road, Shanghai", {"line1": "88 Nanjing Road", "city": "Shanghai"}),
    ("上海市徐汇区漕溪北路100号", {"line1": "徐汇区漕溪北路100号", "city": "上海市", "province": "上海市"}),
    ("广东省深圳市南山区科技园路1号 邮编518057",
     {"line1": "南山区科技园路1号", "city": "深圳市", "province": "广东省", "zip": "518057"}),
    ("新疆维吾尔自治区乌鲁木齐市天山区解放南路5号", {"line1": "天山区解放南路5号", "city": "乌鲁木齐市", "province": "新疆维吾尔自治区"}),
    # not a US-style address, and nothing to split: kept whole, never dropped
    ("Room 5, Building 2, 18 Keyuan Road, Nanshan District, Shenzhen",
     {"line1": "Room 5, Building 2, 18 Keyuan Road, Nanshan District, Shenzhen"}),
    ("漕溪北路100号", {"line1": "漕溪北路100号"}), ("the blue house by the lake", {"line1": "the blue house by the lake"}),
])
def test_an_address_on_one_line_is_split_into_its_parts(text, parts):
    assert parse_address(text).fields() == parts


@pytest.mark.parametrize(("text", "address"), [
    ("I moved, please ship order W4172216 to 4127 Maple Avenue, Apt 12, Portland, OR 97205 instead",
     "4127 Maple Avenue, Apt 12, Portland, OR 97205"),
    ("change the address of W6697500 to 88 Nanjing Road, Shanghai", "88 Nanjing Road, Shanghai"),
    ("send it to 742 Evergreen Terrace, Springfield, IL 62704 please", "742 Evergreen Terrace, Springfield, IL 62704"),
    ("地址改成上海市徐汇区漕溪北路100号", "上海市徐汇区漕溪北路100号"),
])
def test_the_address_entity_runs_to_the_zip_code(text, address):
    assert EntityExtractor([]).extract(text)["address"] == address
