"""The embedded model's tokenizer as the ctranslate2 engine loads it gives the same token ids as the
GGUF's own tokenizer (its vocabulary and merges, split by llama.cpp's ``qwen2`` pre-tokenizer) on the
shop's zh/en text, so transformers' "incorrect regex pattern" warning on that directory is a false
alarm: its "fix" (Mistral's regex) would change the tokens. The warning is not printed any more."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

pytest.importorskip("ctranslate2")
pytest.importorskip("gguf")

from core.llm import embedded  # noqa: E402

# llama.cpp's pre-tokenizer for tokenizer.ggml.pre = "qwen2" (src/llama-vocab.cpp), Qwen2's own regex.
QWEN2_SPLIT = (r"(?:'[sS]|'[tT]|'[rR][eE]|'[vV][eE]|'[mM]|'[lL][lL]|'[dD])|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}|"
               r" ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+")


def gguf_tokenizer(path: Path):
    """A byte-level BPE built from the GGUF's own tokenizer metadata, nothing from transformers."""
    from gguf import GGUFReader
    from tokenizers import Regex, Tokenizer, models, pre_tokenizers

    reader = GGUFReader(path)
    assert reader.fields["tokenizer.ggml.pre"].contents() == "qwen2"

    def strings(name: str) -> list[str]:
        field = reader.fields[name]
        return [bytes(field.parts[i]).decode("utf-8") for i in field.data]

    vocabulary = {token: i for i, token in enumerate(strings("tokenizer.ggml.tokens"))}
    merges = [tuple(m.split(" ", 1)) for m in strings("tokenizer.ggml.merges")]
    tokenizer = Tokenizer(models.BPE(vocabulary, merges))
    tokenizer.pre_tokenizer = pre_tokenizers.Sequence([pre_tokenizers.Split(Regex(QWEN2_SPLIT), "isolated"),
                                                       pre_tokenizers.ByteLevel(add_prefix_space=False,
                                                                                use_regex=False)])
    return tokenizer


def shop_texts() -> list[str]:
    """Every template in both languages, the reference replies and their questions, and edge cases."""
    from bot.evals.replies import REFERENCES, read_cases
    from core.i18n import MESSAGES

    cases = read_cases(REFERENCES)
    return [text for entry in MESSAGES.values() for text in entry.values()] + [c.text for c in cases] + \
        [c.reference for c in cases] + ["I'LL check it's 3 items—they're ¥1,299.00 (SF123456789)\n\n  ok",
                                        "订单#W1000001已发货，运单号SF123456789。", "don't    WAIT\r\nok 😀"]


@pytest.mark.slow
@pytest.mark.skipif(not embedded.available(), reason="the embedded model packages are not installed")
def test_the_engine_tokenizes_shop_text_like_the_gguf_and_does_not_warn(tmp_path, capfd):
    from transformers import AutoTokenizer

    from core.llm.ctranslate2_model import load_tokenizer

    gguf = embedded.materialise(tmp_path)
    # as the conversion leaves it: the tokenizer read from the GGUF, saved beside CTranslate2's config.json
    AutoTokenizer.from_pretrained(tmp_path, gguf_file=gguf.name).save_pretrained(tmp_path / "converted")
    (tmp_path / "converted" / "config.json").write_text(json.dumps({"bos_token": "<|endoftext|>",
                                                                    "eos_token": "<|im_end|>"}))
    capfd.readouterr()
    engine = load_tokenizer(tmp_path / "converted")
    assert "incorrect regex" not in capfd.readouterr().err
    reference, texts = gguf_tokenizer(gguf), shop_texts()
    assert len(texts) > 500
    assert [engine(t)["input_ids"] for t in texts] == [reference.encode(t).ids for t in texts]
    mistral = AutoTokenizer.from_pretrained(tmp_path / "converted", fix_mistral_regex=True)
    assert any(mistral(t)["input_ids"] != reference.encode(t).ids for t in texts)  # the "fix" would break it
