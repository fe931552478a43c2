"""A shop's vocabulary: the tokens of a byte-level BPE model that Chinese and English shop text uses.

Qwen2.5's vocabulary has 151,936 entries; a third of them are source-code fragments (``.getLong``,
``_timeout``) or scripts a Chinese/English shop never writes (Cyrillic, Arabic, Hangul, Thai…). The
output layer scores every entry for every generated token, so it is a quarter of a small model's work.
Dropping those entries from the converted model makes each token cheaper; the model still reads and
writes any text, because a dropped token is spelt with the kept tokens it is made of (every single
byte is kept), and its choice among the kept tokens is unchanged."""
from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache
from typing import Any

_WORD = re.compile(r" ?['-]?(?:[A-Z]?[a-z]+|[A-Z]+|[0-9]+)")  # a word (Capitalised, UPPER, 're, -service) or number
_PUNCTUATION = re.compile(r"[\s!-/:-@\[-`{-~]*")  # ASCII punctuation and white space only
_CODE_FREE_LENGTH = 2  # any ASCII token this short (ignoring white space) is kept
_KEPT_RANGES = (  # non-ASCII characters a zh/en shop writes
    (0x00A0, 0x024F),    # Latin-1 and Latin Extended: café, €, °, ×
    (0x2000, 0x2BFF),    # punctuation, currency, arrows, symbols: “ ” — … ™ ★
    (0x3000, 0x303F),    # CJK punctuation: 。、「」
    (0x3400, 0x4DBF),    # CJK Extension A
    (0x4E00, 0x9FFF),    # CJK Unified Ideographs
    (0xF900, 0xFAFF),    # CJK Compatibility Ideographs
    (0xFE00, 0xFE0F),    # variation selectors (emoji presentation)
    (0xFF00, 0xFFEF),    # full-width forms: ，！？（）
    (0x1F000, 0x1FAFF),  # emoji
    (0x20000, 0x2FA1F),  # CJK Extensions B–F and compatibility supplement
)


@lru_cache(maxsize=1)
def byte_alphabet() -> dict[str, int]:
    """The printable character GPT-2-style byte-level BPE writes for each byte, mapped to the byte."""
    printable = [*range(ord("!"), ord("~") + 1), *range(ord("¡"), ord("¬") + 1), *range(ord("®"), ord("ÿ") + 1)]
    others = [byte for byte in range(256) if byte not in printable]
    characters = {byte: chr(byte) for byte in printable} | {byte: chr(256 + n) for n, byte in enumerate(others)}
    return {character: byte for byte, character in characters.items()}


def is_byte_level(vocabulary: Iterable[str]) -> bool:
    """Whether ``vocabulary`` is a byte-level BPE one: every byte has its own single-character token."""
    return set(byte_alphabet()) <= set(vocabulary)


def token_text(token: str) -> str | None:
    """The text a byte-level token stands for; None when it is part of a UTF-8 character or not a
    byte-level token at all (a special token such as ``<|im_end|>``)."""
    alphabet = byte_alphabet()
    try:
        return bytes(alphabet[character] for character in token).decode("utf-8")
    except (KeyError, UnicodeDecodeError):
        return None


def shop_token(token: str) -> bool:
    """Whether a Chinese/English shop needs ``token``: words, numbers, punctuation, Chinese, emoji,
    single bytes and pieces of characters are kept; code fragments and other scripts are not."""
    text = token_text(token)
    if text is None:
        return True
    if not text.isascii():
        return all(character.isascii() or _kept_character(ord(character)) for character in text)
    return bool(_WORD.fullmatch(text) or _PUNCTUATION.fullmatch(text) or len(text.strip()) <= _CODE_FREE_LENGTH)


def _kept_character(code_point: int) -> bool:
    return any(low <= code_point <= high for low, high in _KEPT_RANGES)


class ShopVocabulary:
    """The tokens a trimmed model knows, and the spelling of any other token with them."""

    def __init__(self, tokens: Iterable[str]) -> None:
        """``tokens``: the trimmed model's vocabulary; it must hold every single-byte token."""
        self.tokens = frozenset(tokens)
        self._longest = max(len(token) for token in self.tokens)

    def spell(self, tokens: list[str]) -> list[str]:
        """``tokens`` with each one the model does not know replaced by the longest known tokens it
        is made of, left to right (byte-level tokens are strings of byte characters)."""
        spelt: list[str] = []
        for token in tokens:
            spelt.extend([token] if token in self.tokens else self._pieces(token))
        return spelt

    def _pieces(self, token: str) -> list[str]:
        pieces, start = [], 0
        while start < len(token):
            end = min(len(token), start + self._longest)
            while end > start + 1 and token[start:end] not in self.tokens:
                end -= 1
            pieces.append(token[start:end])
            start = end
        return pieces


def trim_model(model: Any, tokenizer: Any) -> dict[str, int] | None:
    """Keep only the shop's tokens in ``model``'s input embeddings and output layer (in place) and
    return the new vocabulary (token → id); None, and ``model`` untouched, when ``tokenizer`` is not
    byte-level BPE (its dropped tokens could not be spelt with kept ones)."""
    import torch

    vocabulary = sorted(tokenizer.get_vocab().items(), key=lambda item: item[1])
    if not is_byte_level(token for token, _ in vocabulary):
        return None
    specials = {str(token) for token in tokenizer.added_tokens_decoder.values()} | set(tokenizer.all_special_tokens)
    kept = [(token, index) for token, index in vocabulary if token in specials or shop_token(token)]
    rows = torch.tensor([index for _, index in kept])
    embeddings, output = model.get_input_embeddings(), model.get_output_embeddings()
    tied = output.weight is embeddings.weight
    embeddings.weight = torch.nn.Parameter(embeddings.weight.data[rows].clone(), requires_grad=False)
    output.weight = embeddings.weight if tied else torch.nn.Parameter(output.weight.data[rows].clone(),
                                                                      requires_grad=False)
    if getattr(output, "bias", None) is not None:
        output.bias = torch.nn.Parameter(output.bias.data[rows].clone(), requires_grad=False)
    new_ids = {old: new for new, (_, old) in enumerate(kept)}
    for name in ("bos_token_id", "eos_token_id", "pad_token_id"):
        old = getattr(model.config, name, None)
        if old is not None:
            setattr(model.config, name, [new_ids.get(i) for i in old] if isinstance(old, list) else new_ids.get(old))
    model.config.vocab_size = len(kept)
    return {token: new for new, (token, _) in enumerate(kept)}
