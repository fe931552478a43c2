"""The same request comes to the same kind of outcome in zh and en (#20): an explicit complaint goes
to a colleague whatever else the message says, asking when one's refund arrives is about one's own
order in either language (Chinese drops the "my"), a coupon code that fails is the shopper's own, and
ordering a product named shows that product. Each pair runs through the assistant on the demo shop."""
from __future__ import annotations

import pytest

from bot.evals.outcomes import ask, demo_assistant, read_pairs
from core.policy.complaints import asks_to_complain


@pytest.fixture(scope="module")
def demo():
    return demo_assistant()


@pytest.mark.no_store
@pytest.mark.parametrize(("text", "asks"), [
    ("我要投诉，快递三天都没动", True), ("I want to complain, my parcel hasn't moved in three days", True),
    ("我想投诉一下客服", True), ("I'd like to file a complaint", True), ("投诉你们", True),
    ("我不是要投诉，就是问问", False), ("I don't want to complain, but where is it", False),
    ("no complaints, thanks", False), ("投诉电话是多少", False), ("我要退货", False)])
def test_an_explicit_complaint(text, asks):
    assert asks_to_complain(text) is asks


@pytest.mark.parametrize(("zh", "en", "outcome"), [
    ("我要投诉，快递三天都没动", "I want to complain, my parcel hasn't moved in three days", "handed_off"),
    ("退款什么时候到账", "when will my refund arrive", "verify"),
    ("退款什么时候到账", "when will the refund arrive", "verify"),
    ("退款一般多久到账", "how long do refunds usually take", "faq_answer"),
    ("我的优惠码用不了", "my coupon code doesn't work", "verify"),
    ("我想买红色连衣裙M码", "I'd like to buy the red dress in M", "product_cards"),
])
async def test_the_same_request_comes_to_the_same_outcome(demo, zh, en, outcome):
    for lang, text in (("zh", zh), ("en", en)):
        assert (await ask(demo, f"parity-test-{lang}-{text}", text)).outcome == outcome, (lang, text)


def test_pair_files_are_read_in_the_order_their_header_names(tmp_path):
    external = tmp_path / "external.tsv"
    external.write_text("en\tzh\nwhere is my order\t我的订单在哪\n", encoding="utf-8")
    assert read_pairs(external) == [("我的订单在哪", "where is my order")]
    plain = tmp_path / "plain.tsv"
    plain.write_text("我的订单在哪\twhere is my order\n", encoding="utf-8")
    assert read_pairs(plain) == [("我的订单在哪", "where is my order")]
    bad = tmp_path / "bad.tsv"
    bad.write_text("en\tzh\nonly one column\n", encoding="utf-8")
    with pytest.raises(ValueError, match="bad.tsv:2"):
        read_pairs(bad)
    assert len(read_pairs()) == 42
