"""Shared bilingual vocabulary: colours, sizes, materials and the words for them. Catalogue values are
the lower-case English names; shoppers may use either language, and Chinese replies show a value as the
shop has it with its Chinese word beside it (:func:`value_name`)."""
from __future__ import annotations

COLOURS: dict[str, dict[str, object]] = {
    "red": {"zh": "红色", "words": ["红色", "红", "大红", "酒红", "red", "burgundy"]},
    "blue": {"zh": "蓝色", "words": ["蓝色", "蓝", "深蓝", "藏青", "navy", "blue"]},
    "black": {"zh": "黑色", "words": ["黑色", "黑", "black"]},
    "white": {"zh": "白色", "words": ["白色", "白", "white"]},
    "pink": {"zh": "粉色", "words": ["粉色", "粉红", "粉", "pink"]},
    "green": {"zh": "绿色", "words": ["绿色", "绿", "green"]},
    "grey": {"zh": "灰色", "words": ["灰色", "灰", "grey", "gray"]},
    "beige": {"zh": "米色", "words": ["米色", "米白", "卡其", "beige", "khaki"]},
    "yellow": {"zh": "黄色", "words": ["黄色", "黄", "yellow"]},
    "purple": {"zh": "紫色", "words": ["紫色", "紫", "purple", "violet"]},
    "brown": {"zh": "棕色", "words": ["棕色", "咖啡色", "棕", "brown"]},
    "silver": {"zh": "银色", "words": ["银色", "银", "silver"]},
    "gold": {"zh": "金色", "words": ["金色", "gold", "golden"]},
}

CLOTHING_SIZES = ("XXS", "XS", "S", "M", "L", "XL", "XXL", "XXXL")
# the words for a clothing size ("a medium", "换成中号"): what a shopper says for a shop's S / M / L
SIZE_WORDS = {"XS": ("extra small", "x-small", "加小号", "加小码"), "S": ("small", "小号", "小码"),
              "M": ("medium", "中号", "中码"), "L": ("large", "大号", "大码"),
              "XL": ("extra large", "x-large", "加大号", "加大码"), "XXL": ("xx-large", "2xl", "特大号")}

# Chinese words for common material values (colours are in COLOURS, sizes in SIZE_WORDS)
MATERIALS_ZH = {"cotton": "棉", "polyester": "涤纶", "nylon": "尼龙", "wool": "羊毛", "leather": "皮革", "silk": "丝绸",
                "linen": "亚麻", "fleece": "抓绒", "plastic": "塑料", "metal": "金属", "wood": "木质", "glass": "玻璃",
                "stainless steel": "不锈钢", "aluminum": "铝", "aluminium": "铝", "ceramic": "陶瓷", "bamboo": "竹",
                "rubber": "橡胶", "silicone": "硅胶", "iron": "铁", "steel": "钢", "carbon fiber": "碳纤维",
                "canvas": "帆布", "foam": "泡沫", "synthetic": "合成材料", "memory foam": "记忆棉"}
_SIZE_NAMES_ZH = {word: words[next(i for i, w in enumerate(words) if not w.isascii())]
                  for words in SIZE_WORDS.values() for word in words if word.isascii()}

# Chinese names of common variant options; other option names are shown as the catalogue has them.
OPTION_NAMES_ZH = {"color": "颜色", "size": "尺码", "material": "材质", "capacity": "容量", "length": "长度",
                   "model": "型号", "style": "款式", "flavor": "口味", "weight": "重量", "scent": "香型"}


def option_name(option: str, lang: str) -> str:
    """A variant option's name as a shopper reads it in ``lang`` ("size" -> "尺码")."""
    return OPTION_NAMES_ZH.get(option.lower(), option) if lang == "zh" else option


def colour_name(colour: str, lang: str) -> str:
    """The colour as a shopper reads it in ``lang`` ("red" -> "红色")."""
    entry = COLOURS.get(colour.lower())
    return str(entry["zh"]) if entry and lang == "zh" else colour


def value_name(option: str, value: object, lang: str) -> str:
    """A variant option's value as a shopper reads it in ``lang``: the shop's own value, in Chinese with
    its Chinese word beside it ("black（黑色）", "medium（中号）", "cotton（棉）"), so that the fact the shop
    and its orders use is there and readable; a value with no known word ("M", "4K") as the shop has it."""
    shown = str(value)
    if lang != "zh" or not shown.isascii():
        return shown
    lowered = shown.lower()
    key = option.lower()
    colour = COLOURS.get(lowered) if "colo" in key else None
    word = str(colour["zh"]) if colour else _SIZE_NAMES_ZH.get(lowered) if "size" in key else MATERIALS_ZH.get(lowered)
    return f"{shown}（{word}）" if word else shown


def options_label(options: dict[str, object] | None, lang: str) -> str:
    """One variant's option values, "S/white（白色）/low", as :func:`value_name` shows each."""
    return "/".join(value_name(key, value, lang) for key, value in (options or {}).items())


def colour_words() -> list[tuple[str, str]]:
    """(word, canonical colour) pairs, longest word first so "深蓝" wins over "蓝"."""
    pairs = [(str(w).lower(), c) for c, e in COLOURS.items() for w in e["words"]]  # type: ignore[union-attr]
    return sorted(pairs, key=lambda p: -len(p[0]))
