"""The shop vocabulary (core/llm/shop_tokens.py): which byte-level tokens a Chinese/English shop keeps,
how a dropped token is spelt with kept ones, and a trimmed CTranslate2 model choosing exactly what
the whole model chooses among the kept tokens."""
from __future__ import annotations

import json

import pytest

from core.llm.shop_tokens import ShopVocabulary, byte_alphabet, shop_token, token_text
from tests.fakes.tiny_llm import MESSAGES

# Opens no store: the same on every engine (skipped under --db-engine postgresql, tests/conftest.py).
pytestmark = pytest.mark.no_store

_CHARACTERS = {byte: character for character, byte in byte_alphabet().items()}


def as_token(text: str) -> str:
    """``text`` as a byte-level BPE token string."""
    return "".join(_CHARACTERS[byte] for byte in text.encode())


@pytest.mark.parametrize("text", [" order", " Shipping", " SF", "ipped", " 2026", "'re", "-service", "?\n\n",
                                  "!!", " (", "订单", "，", "发货了", " café", "€", "👍", "…", "\n\n"])
def test_shop_text_is_kept(text):
    assert shop_token(as_token(text))


@pytest.mark.parametrize("text", [".getLong", "_timeout", "(update", "\tNSString", "_BYTE", " заказ", "مرحبا",
                                  "안녕", "ありがとう", "getValue"])
def test_code_and_other_scripts_are_dropped(text):
    assert not shop_token(as_token(text))


def test_pieces_of_characters_are_kept():
    piece = as_token("订")[:2]  # two of the character's three bytes
    assert token_text(piece) is None and shop_token(piece)


def test_a_dropped_token_is_spelt_with_the_longest_kept_pieces():
    known = ShopVocabulary([*byte_alphabet(), as_token(".get"), as_token("Long"), as_token(" order")])
    spelt = known.spell([as_token(" order"), as_token(".getLong"), as_token(" заказ")])
    assert spelt[:3] == [as_token(" order"), as_token(".get"), as_token("Long")]
    assert all(token in known.tokens for token in spelt)
    restored = bytes(byte_alphabet()[c] for c in "".join(spelt)).decode()
    assert restored == " order.getLong заказ"


def test_the_trimmed_model_chooses_what_the_whole_model_chooses_among_kept_tokens(tiny_model_dir, tmp_path):
    """Same weights, greedy decoding: the whole model with the dropped tokens forbidden decodes
    exactly what the trimmed model decodes, so trimming changes speed, not choices."""
    pytest.importorskip("ctranslate2")
    from core.llm.ctranslate2_model import CTranslate2Model

    trimmed = CTranslate2Model(str(tiny_model_dir), tmp_path, "float32", shop_vocabulary=True)
    whole = CTranslate2Model(str(tiny_model_dir), tmp_path, "float32", shop_vocabulary=False)
    trimmed.load()
    whole.load()
    full_vocabulary = whole.tokenizer.get_vocab()
    kept = set(trimmed._known.tokens)
    dropped = [token for token in full_vocabulary if token not in kept]
    assert dropped and len(kept) < len(full_vocabulary)
    assert {"<|im_end|>", "<|im_start|>", "<unk>"} <= kept  # special tokens are always kept
    prompt = whole._tokens(MESSAGES, generation_prompt=True)
    assert all(token in kept for token in prompt)
    steps = whole.generator.generate_tokens(prompt, max_length=12, sampling_topk=1,
                                            suppress_sequences=[[token] for token in dropped])
    expected = [step.token for step in steps]
    text = trimmed.generate(MESSAGES, max_tokens=12).text
    assert text == whole.tokenizer.decode(whole.tokenizer.convert_tokens_to_ids(expected), skip_special_tokens=True).strip()


def test_a_shopper_writing_dropped_tokens_is_still_read(tiny_model_dir, tmp_path):
    pytest.importorskip("ctranslate2")
    from core.llm.ctranslate2_model import CTranslate2Model

    model = CTranslate2Model(str(tiny_model_dir), tmp_path, "int8")
    model.load()
    messages = [MESSAGES[0], {"role": "user", "content": "Ваш заказ self.getValue()"}]
    prompt = model._tokens(messages, generation_prompt=True)
    vocabulary = json.loads((next((tmp_path / "converted").iterdir()) / "vocabulary.json").read_text())
    assert set(prompt) <= set(vocabulary)
    assert model.generate(messages, max_tokens=8).tokens > 0
