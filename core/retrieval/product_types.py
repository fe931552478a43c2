"""Which kind of product a message asks for ("蓝牙音箱", "running shoes", "headphones"), in either
language, over any shop's catalogue.

A bilingual lexicon of product types joins the words shoppers use in zh and en; the catalogue adds
its own: every category's names and aliases and every product title. A type word written with a
typo ("连血裙", "headphnes", "runing shoes") is found too (:mod:`core.retrieval.typos`). A product *is* of a type when
one of the type's words appears in its title or tags, so an English-only shop answers Chinese
questions ("台灯" finds the Desk Lamp) and a type inside a broad category ("耳机" in "Electronics &
Headphones") can be ranked above the rest of that category."""
from __future__ import annotations

import re
import threading
import weakref
from dataclasses import dataclass
from typing import Any

from core.retrieval.typos import TypoFinder
from core.store import Store
from core.vocabulary import colour_words

# (zh words, en words): the first of each is the type's name in that language. Chinese words of one
# character are left out on purpose: "包" or "茶" inside another word would match everything.
LEXICON: tuple[tuple[tuple[str, ...], tuple[str, ...]], ...] = (
    (("连衣裙", "裙子", "长裙"), ("dress", "dresses", "gown")),
    (("T恤", "t恤", "短袖", "体恤"), ("t-shirt", "tshirt", "tee")),
    (("牛仔裤",), ("jeans",)),
    (("裤子", "长裤"), ("trousers", "pants")),
    (("外套", "夹克"), ("jacket", "coat")),
    (("抓绒外套", "抓绒衣", "摇粒绒外套"), ("fleece jacket", "fleece")),
    (("羽绒服",), ("down jacket", "puffer")),
    (("卫衣",), ("hoodie", "sweatshirt")),
    (("鞋子", "鞋履"), ("shoes",)),
    (("跑鞋", "跑步鞋"), ("running shoes", "running shoe")),
    (("运动鞋", "球鞋", "板鞋"), ("sneakers", "trainers")),
    (("登山鞋", "徒步鞋", "登山靴"), ("hiking boots", "hiking boot")),
    (("靴子", "短靴"), ("boots",)),
    (("高跟鞋",), ("heels",)),
    (("凉鞋",), ("sandals",)),
    (("双肩包", "背包"), ("backpack", "rucksack")),
    (("钱包",), ("wallet", "purse")),
    (("行李箱", "旅行箱", "拉杆箱"), ("luggage", "suitcase", "luggage set")),
    (("耳机",), ("headphones", "earphones", "earbuds", "headset")),
    (("无线耳机", "蓝牙耳机", "真无线耳机"), ("wireless earbuds", "earbuds")),
    (("蓝牙音箱", "音箱", "音响"), ("bluetooth speaker", "speaker")),
    (("手机", "智能手机"), ("smartphone", "phone")),
    (("手机壳", "手机套", "保护壳"), ("phone case", "phone cover")),
    (("充电器",), ("charger",)),
    (("充电宝", "移动电源"), ("power bank", "portable charger")),
    (("数据线",), ("charging cable", "cable")),
    (("笔记本电脑", "手提电脑"), ("laptop",)),
    (("平板电脑", "平板"), ("tablet",)),
    (("电子书阅读器", "电纸书", "阅读器"), ("e-reader", "ereader")),
    (("键盘", "机械键盘"), ("keyboard",)),
    (("鼠标", "游戏鼠标"), ("mouse",)),
    (("智能手表",), ("smart watch", "smartwatch")),
    (("手表", "腕表"), ("wristwatch", "watch")),
    (("运动相机",), ("action camera",)),
    (("数码相机", "相机"), ("digital camera", "camera")),
    (("摄像头", "监控摄像头", "安防摄像头"), ("security camera",)),
    (("温控器", "智能温控器"), ("thermostat",)),
    (("灯泡",), ("light bulb", "bulb")),
    (("台灯",), ("desk lamp", "lamp")),
    (("挂钟",), ("wall clock", "clock")),
    (("书架", "书柜"), ("bookshelf",)),
    (("办公椅", "椅子"), ("office chair", "chair")),
    (("遮阳伞", "庭院伞"), ("patio umbrella", "umbrella")),
    (("空气净化器",), ("air purifier",)),
    (("吸尘器",), ("vacuum cleaner", "vacuum")),
    (("烤架", "烧烤炉"), ("grill",)),
    (("咖啡机",), ("coffee maker",)),
    (("意式咖啡机", "浓缩咖啡机"), ("espresso machine",)),
    (("电热水壶", "电水壶"), ("electric kettle",)),
    (("烧水壶",), ("tea kettle", "kettle")),
    (("水杯", "水瓶", "运动水壶"), ("water bottle", "bottle")),
    (("保温杯",), ("vacuum flask", "flask", "thermos")),
    (("马克杯", "杯子"), ("mug", "cup")),
    (("笔记本", "记事本", "本子"), ("notebook",)),
    (("太阳镜", "墨镜"), ("sunglasses",)),
    (("电动牙刷",), ("electric toothbrush", "toothbrush")),
    (("瑜伽垫",), ("yoga mat",)),
    (("水管", "浇水管", "花园水管"), ("garden hose", "hose")),
    (("哑铃",), ("dumbbell set", "dumbbells", "dumbbell")),
    (("宠物床", "狗窝", "猫窝"), ("pet bed",)),
    (("头盔", "骑行头盔"), ("cycling helmet", "helmet")),
    (("自行车", "单车"), ("bicycle", "bike")),
    (("滑板",), ("skateboard",)),
    (("拼图",), ("jigsaw puzzle", "puzzle")),
    (("化妆套装", "彩妆套装"), ("makeup kit",)),
    (("香水",), ("perfume",)),
    (("面霜",), ("moisturizer", "moisturiser", "face cream")),
    (("防晒霜", "防晒"), ("sunscreen", "sunblock")),
    (("面膜",), ("face mask", "sheet mask")),
)


@dataclass(frozen=True)
class ProductType:
    """A kind of product named in a message: every word for it, its names, the category it is (None
    when it is narrower than any category, e.g. headphones among electronics), the category it is a
    word of (``within``: "耳机" is an alias of electronics) and the word the message used."""

    words: frozenset[str]
    names: dict[str, str]
    category: str | None
    said: str
    within: str | None = None

    def hides(self, text: str, word: str) -> bool:
        """Whether every occurrence of ``word`` in the text is inside the type's word ("蓝" in "蓝牙音箱")."""
        lowered, word = text.lower(), word.lower()
        inside = {start + offset for start in _starts(self.said, lowered) for offset in _starts(word, self.said)}
        return bool(inside) and set(_starts(word, lowered)) <= inside

    def fits(self, product: dict[str, Any]) -> bool:
        """Whether the product is of this type (one of its words in the titles or tags)."""
        text = " ".join([str(product.get("title_zh") or ""), str(product.get("title_en") or ""),
                         *[str(t) for t in product.get("tags") or []]]).lower()
        return any(_occurs(word, text) for word in self.words)


class ProductTypes:
    """The product types one catalogue knows: the lexicon plus its own categories and titles."""

    def __init__(self, categories: list[dict[str, Any]], products: list[dict[str, Any]]) -> None:
        groups = [(set(w.lower() for w in (*zh, *en)), {"zh": zh[0], "en": en[0]}) for zh, en in LEXICON]
        self._category_of: dict[str, str] = {}
        self._alias_of: dict[str, str] = {}
        for category in categories:
            own = {w.lower() for w in (category["id"], category.get("name_zh"), category.get("name_en")) if w}
            for word in own:
                self._category_of[word] = category["id"]
            names = {"zh": category.get("name_zh") or category["id"], "en": category.get("name_en") or category["id"]}
            for word in own:
                groups.append(({word}, names))
            for alias in {str(a).lower() for a in category.get("aliases") or []} - own:
                self._alias_of.setdefault(alias, category["id"])
                groups.append(({alias}, {**names, ("en" if alias.isascii() else "zh"): alias}))  # "吊带裙" is itself
        for product in products:
            for title in (product.get("title_en"), product.get("title_zh")):
                if title and len(title) <= 30:  # a title that names a type ("Desk Lamp"), not a description
                    groups.append(({title.lower()}, {"zh": product.get("title_zh") or title,
                                                     "en": product.get("title_en") or title}))
        self._groups = groups
        words = {w for group, _ in groups for w in group if len(w) >= 2}
        self._words = sorted(words, key=lambda w: (-len(w), w))
        shop_text = [str(t) for c in categories for t in (c.get("name_zh"), c.get("name_en"), *(c.get("aliases") or []))
                     if t] + [str(t) for p in products for t in (p.get("title_zh"), p.get("title_en")) if t]
        self._typos = TypoFinder(words, shop_text)

    def find(self, text: str) -> ProductType | None:
        """The most specific product type the text names (the longest word found), or None. A typo of
        a longer word that holds the word found ("runing shoes" around "shoes") is more specific."""
        lowered = text.lower()
        said = next((w for w in self._words if _occurs(w, lowered)), None)
        typo = self._typos.find(lowered)
        if typo and (said is None or len(typo.word) > len(said) and said in typo.said):
            return self._type(typo.word, typo.said)
        return self._type(said, said) if said else None

    def _type(self, word: str, said: str) -> ProductType:
        """The type of a known ``word``, written ``said`` in the message."""
        words: set[str] = set()
        names: dict[str, str] = {}
        for group, group_names in self._groups:
            if word in group:
                words |= group
                names = names or group_names
        category = next((self._category_of[w] for w in sorted(words) if w in self._category_of), None)
        within = next((self._alias_of[w] for w in sorted(words) if w in self._alias_of), None)
        return ProductType(frozenset(w for w in words if len(w) >= 2), names, category, said, within)


def without_type_words(text: str, entities: dict[str, Any], kind: ProductType | None) -> dict[str, Any]:
    """The entities less a colour found only inside the product type's word ("蓝牙音箱" is not blue)."""
    colour = entities.get("color")
    if kind is None or not colour:
        return entities
    words = [w for w, c in colour_words() if c == colour and w in text.lower()]
    if words and all(kind.hides(text, w) for w in words):
        return {k: v for k, v in entities.items() if k != "color"}
    return entities


def _starts(word: str, text: str) -> list[int]:
    """Where ``word`` starts in ``text`` (every occurrence)."""
    return [m.start() for m in re.finditer(re.escape(word), text)] if word else []


def _occurs(word: str, lowered: str) -> bool:
    """The word in the text: as a whole word (plural allowed) for English, anywhere for Chinese."""
    if word not in lowered:
        return False
    if not word.isascii():
        return True
    return re.search(rf"(?<![a-z0-9]){re.escape(word)}(?:s|es)?(?![a-z0-9])", lowered) is not None


_CACHE: weakref.WeakKeyDictionary[Store, tuple[tuple, ProductTypes]] = weakref.WeakKeyDictionary()
_LOCK = threading.Lock()
_FINGERPRINT_SQL = ("select (select count(*) from products), (select total(length(title_en)) + total(length(title_zh)) "
                    "from products), (select count(*) from categories), (select total(length(aliases)) from categories)")


def product_types(store: Store) -> ProductTypes:
    """The store's product types, rebuilt when its products or categories change."""
    fingerprint = tuple(store.db.execute(_FINGERPRINT_SQL).fetchone())
    with _LOCK:
        cached = _CACHE.get(store)
        if cached and cached[0] == fingerprint:
            return cached[1]
    rows = store.db.execute("select id, title_zh, title_en from products").fetchall()
    types = ProductTypes(store.catalog.categories(), [{"id": r[0], "title_zh": r[1], "title_en": r[2]} for r in rows])
    with _LOCK:
        _CACHE[store] = (fingerprint, types)
    return types
