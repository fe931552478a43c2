"""Product cards as the shopper sees them."""
from __future__ import annotations

from core.i18n import t
from core.messages import Button, Language, ProductCard
from core.money import format_price
from core.store import ProductHit
from core.vocabulary import value_name


def product_card(hit: ProductHit, language: Language, subtitle: str = "") -> ProductCard:
    """A card with the title in ``language``, the (lowest) price, colours and buttons."""
    product = hit.product
    prices = {v["price_cents"] for v in hit.variants}
    price = format_price(hit.min_price_cents, hit.currency)
    if len(prices) > 1:
        price = t("price_from", language, price=price)
    if not subtitle:
        colours = []
        for variant in hit.variants:
            colour = (variant.get("options") or {}).get("color")
            if colour and value_name("color", colour, language) not in colours:
                colours.append(value_name("color", colour, language))
        subtitle = " / ".join(colours[:5])
    title = product["title_zh"] if language == "zh" and product.get("title_zh") else product["title_en"]
    return ProductCard(
        product_id=product["id"], title=title, price=price, image_url=product.get("image_url"),
        subtitle=subtitle,
        buttons=(Button(t("btn_details", language), f"/product {product['id']}"),
                 Button(t("btn_more_like", language), f"/more {product['id']}")),
    )
