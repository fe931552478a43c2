"""The tables the demo-shop generator draws from, kept as data in ``core/demo/tables/``: the catalogue
(``catalogue.yaml``: palette, categories and their product templates), the people (``people.yaml``:
names, cities, carriers) and the FAQ articles (``faq.yaml``). Read once, as immutable tuples."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple

from core.nesting import load_yaml

TABLES_DIR = Path(__file__).resolve().parent / "tables"


class Item(NamedTuple):
    """One product template: bilingual title, base price in yuan, tags and a selling point.

    ``keys`` overrides the category's option keys; ``fixed`` pins option values (a ``color`` or
    ``size`` not pinned is drawn from the category's pools).
    """

    zh: str
    en: str
    price: int
    tags: tuple[str, ...]
    note_zh: str
    note_en: str
    keys: tuple[str, ...] | None = None
    fixed: dict[str, tuple[str, ...]] | None = None


@dataclass(frozen=True)
class Category:
    """A category with the words shoppers use for it, its brands and product templates."""

    id: str
    name_zh: str
    name_en: str
    aliases: tuple[str, ...]
    brands: tuple[str, ...]
    option_keys: tuple[str, ...]
    palette: tuple[str, ...]
    closings: tuple[tuple[str, str], ...]
    items: tuple[Item, ...]
    sizes: tuple[str, ...]
    consumable: bool = False


class CnCity(NamedTuple):
    """A mainland city: names, postcode prefix and a few (zh, en) districts and streets."""

    zh: str
    en: str
    zip_prefix: str
    districts: tuple[tuple[str, str], ...]
    streets: tuple[tuple[str, str], ...]


class AbroadCity(NamedTuple):
    """A city outside the mainland for English-speaking customers."""

    country: str
    city: str
    timezone: str
    zip_pattern: str  # "#" is a random digit
    phone_pattern: str
    streets: tuple[str, ...]


Article = tuple[str, str, tuple[str, ...], tuple[str, str], tuple[str, str]]
"""An FAQ article: (id, topic, tags, (zh title, zh body), (en title, en body))."""


def _table(name: str) -> dict[str, Any]:
    return load_yaml((TABLES_DIR / f"{name}.yaml").read_text(encoding="utf-8"))


def _pairs(rows: list[dict[str, str]], first: str, second: str) -> tuple[tuple[str, str], ...]:
    return tuple((row[first], row[second]) for row in rows)


def _item(row: dict[str, Any]) -> Item:
    fixed = row.get("fixed")
    return Item(row["zh"], row["en"], row["price"], tuple(row["tags"]), row["note_zh"], row["note_en"],
                tuple(row["keys"]) if "keys" in row else None,
                {key: tuple(values) for key, values in fixed.items()} if fixed is not None else None)


def _category(row: dict[str, Any]) -> Category:
    return Category(row["id"], row["name_zh"], row["name_en"], tuple(row["aliases"]), tuple(row["brands"]),
                    tuple(row["option_keys"]), tuple(row["palette"]), _pairs(row["closings"], "zh", "en"),
                    tuple(_item(item) for item in row["items"]), tuple(row["sizes"]), row.get("consumable", False))


def _article(row: dict[str, Any]) -> Article:
    return (row["id"], row["topic"], tuple(row["tags"]), (row["zh"]["title"], row["zh"]["body"]),
            (row["en"]["title"], row["en"]["body"]))


_catalogue = _table("catalogue")
PALETTE: tuple[str, ...] = tuple(_catalogue["palette"])
CATEGORIES: tuple[Category, ...] = tuple(_category(row) for row in _catalogue["categories"])

_people = _table("people")
ZH_SURNAMES = _pairs(_people["zh_surnames"], "zh", "pinyin")
ZH_GIVEN = _pairs(_people["zh_given"], "zh", "pinyin")
EN_FIRST: tuple[str, ...] = tuple(_people["en_first"])
EN_LAST: tuple[str, ...] = tuple(_people["en_last"])
CN_CITIES = tuple(CnCity(row["zh"], row["en"], row["zip_prefix"], _pairs(row["districts"], "zh", "en"),
                         _pairs(row["streets"], "zh", "en")) for row in _people["cn_cities"])
ABROAD_CITIES = tuple(AbroadCity(**{**row, "streets": tuple(row["streets"])}) for row in _people["abroad_cities"])
CN_CARRIERS = tuple((row["name"], row["prefix"], row["digits"]) for row in _people["cn_carriers"])
INTL_CARRIER = (_people["intl_carrier"]["name"], _people["intl_carrier"]["prefix"], _people["intl_carrier"]["digits"])

FAQ: tuple[Article, ...] = tuple(_article(row) for row in _table("faq")["articles"])
