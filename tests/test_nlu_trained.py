"""The trained NLU: intents through the real shipped model, entities, calibration, the clarifying
question, and the kefu nlu / eval nlu / train / import nlu commands."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import numpy as np
import pytest

from core.messages import Identity, InboundMessage
from core.nlu.base import NLUResult, Reading
from core.nlu.entities import EntityExtractor
from core.nlu.features import normalise
from core.nlu.labelled import held_out
from core.nlu.model import SHIPPED_MODEL, IntentModel
from core.nlu.rasa import Example, parse_annotated, read_examples
from core.nlu.trained import TrainedNLU
from core.nlu.training import FRESH2_FILES, FRESH_FILES, TRAIN_FILES, load_calibration, train

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def model():
    return IntentModel.load(SHIPPED_MODEL)


@pytest.fixture
def nlu(model, store):
    products = list(store.db["products"].rows_where(select="id, title_zh, title_en"))
    return TrainedNLU(model, store.catalog.categories(), products)


@pytest.mark.parametrize("text, intent", [
    ("亲，在吗", "greet"), ("hey there!", "greet"), ("拜拜啦", "goodbye"), ("cya later", "goodbye"),
    ("谢谢亲", "thank_you"), ("thx so much", "thank_you"), ("我想买条红色连衣裙", "product_search"),
    ("any wireless earbuds under 300?", "product_search"), ("这款是纯棉的吗", "product_info"),
    ("is the jacket waterproof", "product_info"), ("有什么推荐的", "recommend"), ("any gift ideas for my dad", "recommend"),
    ("我的快递到哪了，单号#W2611340", "track_order"), ("where's my package??", "track_order"),
    ("我要取消订单", "cancel_order"), ("please cancel my order", "cancel_order"), ("我要退货", "return_item"),
    ("i want to return these shoes", "return_item"), ("能换个大一码吗", "exchange_item"),
    ("can i swap it for a size L", "exchange_item"), ("退款什么时候到账", "track_refund"),
    ("still no refund after 2 weeks", "track_refund"), ("退货政策是什么", "check_refund_policy"),
    ("what's your return policy", "check_refund_policy"), ("支持哪些支付方式", "check_payment_methods"),
    ("can i pay with paypal", "check_payment_methods"), ("付款失败了", "payment_issue"),
    ("i got charged twice", "payment_issue"), ("包邮吗", "delivery_options"), ("do you ship to hong kong", "delivery_options"),
    ("要开发票", "get_invoice"), ("i need an invoice for my company", "get_invoice"), ("忘记密码了", "recover_password"),
    ("forgot my password", "recover_password"), ("转人工", "contact_human_agent"), ("let me talk to a human", "contact_human_agent"),
    ("优惠券怎么用", "coupon"), ("my promo code doesn't work", "coupon"), ("我要投诉", "complaint"),
    ("this is terrible service", "complaint"), ("注销账号", "delete_account"), ("delete my account", "delete_account"),
])
async def test_intents_of_both_languages_through_the_shipped_model(nlu, text, intent):
    result = await nlu.parse(text)
    assert result.intent == intent, result.readings
    assert len(result.readings) == 2 and result.readings[0].intent == intent


@pytest.mark.no_store
def test_the_shipped_model_meets_its_held_out_accuracy(model):
    examples = held_out()
    for lang_files in ("zh", "en"):
        chosen = [e for e in examples if (e.text.isascii()) == (lang_files == "en")]
        accuracy = np.mean([model.readings(e.text, 1)[0].intent == e.intent for e in chosen])
        assert accuracy >= 0.93, (lang_files, accuracy)


@pytest.mark.no_store
def test_confidence_is_calibrated_on_the_held_out_split(model):
    examples = held_out()
    readings = [model.readings(e.text, 1)[0] for e in examples]
    confident = [r.intent == e.intent for r, e in zip(readings, examples) if r.confidence >= 0.8]
    unsure = [r.intent == e.intent for r, e in zip(readings, examples) if r.confidence < 0.45]
    assert np.mean(confident) >= 0.95  # high confidence means right
    assert unsure and np.mean(unsure) < np.mean(confident)  # low confidence means less often right
    assert 0.2 < model.temperature < 5


@pytest.mark.no_store
def test_training_on_a_tiny_dataset_of_two_intents():
    examples = [Example(t, i) for i, texts in {"greet": ["hi", "hello", "你好", "hey there"],
                                               "track_order": ["where is my order", "我的快递呢", "track W1234567", "物流"]}.items()
                for t in texts]
    trained = train(examples, show_progress=False)
    assert trained.classes == ["greet", "track_order"]
    assert trained.readings("hello there")[0].intent == "greet"
    assert trained.readings("快递到哪了")[0].intent == "track_order"
    assert abs(sum(trained.probabilities("anything")) - 1) < 1e-5


@pytest.fixture
def extractor(store):
    return EntityExtractor(store.catalog.categories(), list(store.db["products"].rows_where(select="id, title_zh, title_en")))


@pytest.mark.parametrize("text, expected", [
    ("订单号是#W2611340，还没到", {"order_id": "W2611340"}),
    ("order 120394857 status", {"order_id": "120394857"}),
    ("black sneakers size 42", {"color": "black", "size": "42"}),
    ("有没有39码的白鞋", {"color": "white", "size": "39"}),
    ("换成XXL的", {"size": "XXL"}),
    ("a dress from $20 to $40", {"min_price_cents": 2000, "max_price_cents": 4000, "category": "dresses"}),
    ("要2件", {"quantity": 2}), ("two of these please", {"quantity": 2}),
    ("my email is li.wei+shop@example.com", {"email": "li.wei+shop@example.com"}),
    ("电话13812345678", {"phone": "13812345678"}),
    ("地址改成上海市徐汇区漕溪北路796号7栋2401室", {"address": "上海市徐汇区漕溪北路796号7栋2401室"}),
    ("我昨天买的", {"dates": ["2026-11-27"]}), ("I ordered last Monday", {"dates": ["2026-11-23"]}),
    ("上周一下的单", {"dates": ["2026-11-16"]}),
    ("手机套有吗", {"category": "phone-cases"}),  # synonym of 手机壳 the shop does not list
    ("tell me about the burgundy velvet maxi dress", {"product_id": "D3"}),
])
def test_entities(extractor, text, expected):
    found = extractor.extract(text, today=date(2026, 11, 28))
    assert {k: found.get(k) for k in expected} == expected


def test_a_phone_number_is_not_taken_for_an_order_id(extractor):
    assert "order_id" not in extractor.extract("call me on 13812345678")


@pytest.mark.no_store
def test_rasa_annotations_are_labels_not_text():
    assert parse_annotated('where is [#W2611340](order_id) in [红色]{"entity": "color", "value": "red"}') == \
        ("where is #W2611340 in 红色", {"order_id": "#W2611340", "color": "red"})


@pytest.mark.no_store
def test_the_training_and_held_out_splits_do_not_overlap():
    train_texts = {normalise(e.text) for path in TRAIN_FILES for e in read_examples(path)}
    assert not train_texts & {normalise(e.text) for e in held_out()}


@pytest.mark.no_store
def test_the_fresh_held_out_sets_are_not_trained_on_and_cover_every_intent():
    train = read_examples(TRAIN_FILES[0]) + read_examples(TRAIN_FILES[1])
    for path in FRESH_FILES + FRESH2_FILES:
        fresh = read_examples(path)
        assert not {normalise(e.text) for e in train} & {normalise(e.text) for e in fresh}, path
        assert {e.intent for e in fresh} == {e.intent for e in train}, path


@pytest.mark.no_store
def test_the_calibration_split_is_off_domain_and_not_trained_on():
    train = {normalise(e.text) for path in TRAIN_FILES for e in read_examples(path)}
    calibration = load_calibration()
    assert len(calibration) >= 100 and {e.intent for e in calibration} == {"out_of_scope"}
    assert {e.text.isascii() for e in calibration} == {True, False}  # both languages
    assert not train & {normalise(e.text) for e in calibration}


def _turn_nlu(readings: list[Reading]) -> NLUResult:
    return NLUResult("hmm", "en", False, readings[0].intent, readings[0].confidence, {}, readings)


async def test_low_confidence_asks_which_of_the_top_two_was_meant(assistant, monkeypatch):
    async def unsure(text, language_so_far=None):
        return _turn_nlu([Reading("track_refund", 0.4), Reading("get_refund", 0.35)])

    monkeypatch.setattr(assistant.components.nlu, "parse", unsure)
    [reply] = (await assistant.handle(InboundMessage(Identity("web", "u1"), "refund??"))).replies
    assert "the status of a refund" in reply.text and "getting a refund" in reply.text
    assert [b.payload for b in reply.buttons] == ["/intent track_refund", "/intent get_refund"]


async def test_the_clarifying_question_is_bilingual_and_its_answer_is_understood(assistant):
    nlu = assistant.components.nlu
    original = nlu.parse

    async def unsure_then_real(text, language_so_far=None):
        if text.startswith("/"):
            return await original(text, language_so_far)
        return NLUResult(text, "zh", False, "check_refund_policy", 0.4, {},
                         [Reading("check_refund_policy", 0.4), Reading("return_item", 0.3)])

    nlu.parse = unsure_then_real
    identity = Identity("web", "u2")
    [question] = (await assistant.handle(InboundMessage(identity, "那个退的事"))).replies
    assert "退换货政策" in question.text and "退货" in question.text
    [answer] = (await assistant.handle(InboundMessage(identity, "/intent check_refund_policy",
                                                     payload="/intent check_refund_policy"))).replies
    assert "30 天内退货" in answer.text


KEFU_SUBPROCESS = pytest.mark.sqlite_only("kefu in a subprocess on its own SQLite file: an NLU command, the store "
                                          "is incidental (tests/test_serve.py and test_cli.py run kefu on PostgreSQL)")


def _kefu(args: list[str], tmp_path: Path, stdin: str = "") -> subprocess.CompletedProcess:
    env = {**os.environ, "KEFU_DB_PATH": str(tmp_path / "kefu.db"), "KEFU_NLU_DIR": str(tmp_path / "nlu"),
           "KEFU_LOAD_DEMO_SHOP": "false", "KEFU_SENTIMENT_ANALYZER": "lexicon", "OMP_NUM_THREADS": "1"}
    return subprocess.run([sys.executable, "-m", "bot", "--env-file", "/dev/null", *args], input=stdin,
                          capture_output=True, text=True, env=env, cwd=ROOT, timeout=240)


@KEFU_SUBPROCESS
def test_kefu_nlu_prints_one_json_object_per_line(tmp_path):
    done = _kefu(["nlu"], tmp_path, stdin="我的快递到哪了 #W2611340\nthx!\n")
    assert done.returncode == 0, done.stderr
    first, second = [json.loads(line) for line in done.stdout.splitlines()]
    assert (first["lang"], first["intent"], first["entities"]["order_id"]) == ("zh", "track_order", "W2611340")
    assert set(first) >= {"text", "lang", "intent", "confidence", "entities", "sentiment"}
    assert second["intent"] == "thank_you" and "polarity" in second["sentiment"]


@KEFU_SUBPROCESS
def test_kefu_eval_nlu_on_a_labelled_file(tmp_path):
    labelled = tmp_path / "mine.tsv"
    labelled.write_text("text\tintent\n你好\tgreet\nwhere is my order\ttrack_order\n退货政策\tcheck_refund_policy\n",
                        encoding="utf-8")
    done = _kefu(["eval", "nlu", str(labelled), "--out", str(tmp_path / "eval")], tmp_path)
    assert done.returncode == 0, done.stderr
    assert "intents: n=3 accuracy=1.000" in done.stdout
    assert (tmp_path / "eval" / "confusion.png").stat().st_size > 1000


@KEFU_SUBPROCESS
def test_kefu_eval_nlu_with_noise_prints_clean_and_noisy_accuracy_per_language(tmp_path):
    labelled = tmp_path / "mine.tsv"
    labelled.write_text("text\tintent\n你好\tgreet\nwhere is my order\ttrack_order\n"
                        "how much does delivery cost to Germany\tdelivery_options\n", encoding="utf-8")
    done = _kefu(["eval", "nlu", str(labelled), "--out", str(tmp_path / "eval"), "--noise", "--noise-rate", "0.3",
                  "--seed", "7"], tmp_path)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert "  noise (rate=0.3, seed=7): as written / noisy" in lines
    rows = {line.split(":")[0].strip(): line for line in lines if line.startswith("    ")}
    assert set(rows) == {"all", "zh", "en"}
    assert rows["all"].startswith("    all: n=3 accuracy=1.000 / ") and rows["en"].startswith("    en: n=2 accuracy=1.000 / ")


@KEFU_SUBPROCESS
def test_kefu_import_nlu_then_train_on_a_tiny_dataset(tmp_path):
    rasa = tmp_path / "shop.yml"
    rasa.write_text('version: "3.1"\nnlu:\n- intent: greet\n  examples: |\n    - hi\n    - hello\n    - 你好\n'
                    '- intent: gift_wrap\n  examples: |\n    - can you gift wrap it\n    - 可以包装成礼物吗\n'
                    '    - do you do [gift wrapping](service)\n', encoding="utf-8")
    imported = _kefu(["import", "nlu", str(rasa)], tmp_path)
    assert imported.returncode == 0 and "6 examples added" in imported.stdout, imported.stdout
    again = _kefu(["import", "nlu", str(rasa)], tmp_path)
    assert "0 examples added, 6 duplicates skipped" in again.stdout
    trained = _kefu(["train", "--only"], tmp_path)
    assert trained.returncode == 0, trained.stderr
    assert "trained on 6 examples of 2 intents" in trained.stdout
    model = IntentModel.load(tmp_path / "nlu" / "intent_model.npz")
    assert model.readings("gift wrap please")[0].intent == "gift_wrap"
    used = _kefu(["nlu", "可以礼物包装吗"], tmp_path)  # the runtime now loads the shop's model
    assert json.loads(used.stdout)["intent"] == "gift_wrap"


@KEFU_SUBPROCESS
def test_kefu_import_nlu_rejects_a_file_that_is_not_rasa(tmp_path):
    bad = tmp_path / "bad.yml"
    bad.write_text("- just\n- a list\n", encoding="utf-8")
    done = _kefu(["import", "nlu", str(bad)], tmp_path)
    assert done.returncode == 1 and "nlu:" in done.stderr
    assert not (tmp_path / "nlu" / "nlu.yml").exists()
