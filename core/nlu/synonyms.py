"""Cross-language synonyms for product words, so that a shop whose catalogue names a category in
one language (or one way) still understands the other ("手机壳" ~ "phone case")."""
from __future__ import annotations

from collections.abc import Iterable

SYNONYM_GROUPS: list[set[str]] = [
    {"手机壳", "手机套", "保护壳", "phone case", "phone cover", "case"},
    {"连衣裙", "裙子", "dress", "dresses", "frock"},
    {"t恤", "短袖", "t-shirt", "tshirt", "tee"},
    {"裤子", "长裤", "trousers", "pants"},
    {"牛仔裤", "jeans", "denim"},
    {"鞋", "鞋子", "shoes"},
    {"运动鞋", "球鞋", "sneakers", "trainers"},
    {"靴子", "boots"},
    {"包", "包包", "bag", "bags"},
    {"双肩包", "背包", "backpack", "rucksack"},
    {"钱包", "wallet", "purse"},
    {"耳机", "headphones", "earphones", "earbuds"},
    {"充电器", "charger"},
    {"充电宝", "移动电源", "power bank"},
    {"数据线", "charging cable", "cable"},
    {"手表", "智能手表", "watch", "smartwatch"},
    {"面霜", "moisturizer", "moisturiser", "face cream"},
    {"防晒", "防晒霜", "sunscreen", "sunblock"},
    {"面膜", "face mask", "sheet mask"},
    {"茶", "茶叶", "tea"},
    {"零食", "小吃", "snacks", "snack"},
    {"杯子", "马克杯", "mug", "cup"},
    {"保温杯", "thermos", "vacuum flask"},
    {"外套", "夹克", "jacket", "coat"},
    {"卫衣", "hoodie", "sweatshirt"},
    {"毛衣", "针织衫", "sweater", "jumper"},
    {"童装", "儿童衣服", "kids clothes", "children's clothing"},
]


def expand_synonyms(words: Iterable[str]) -> set[str]:
    """``words`` plus every synonym of any of them (case-insensitive)."""
    lowered = {w.lower() for w in words if w}
    expanded = set(lowered)
    for group in SYNONYM_GROUPS:
        if group & lowered:
            expanded |= group
    return expanded
