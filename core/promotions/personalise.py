"""Each customer's own message: their name, the products recommended for them and their coupon,
in their language."""
from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, tzinfo

from core.i18n import t
from core.messages import Language, Reply
from core.money import format_price
from core.promotions.coupons import CouponTerms
from core.promotions.definition import CampaignDefinition
from core.promotions.facts import CustomerFacts
from core.recommend.base import Recommendation, Recommender
from core.store import ProductQuery


class Personaliser:
    """Renders a campaign's message for one customer. Customers without any history get the same
    (anonymous) picks, computed once; the others get the recommender's picks for them."""

    def __init__(self, definition: CampaignDefinition, recommender: Recommender, shop_name: Mapping[str, str],
                 default_language: Language = "en") -> None:
        self._definition = definition
        self._recommender = recommender
        self._shop_name = shop_name
        self._default_language = default_language
        self._query = ProductQuery(category=definition.product_category)
        self._anonymous: list[Recommendation] | None = None

    def language(self, customer: CustomerFacts) -> Language:
        """The language the customer reads (their stored one, else the shop's default)."""
        return customer.language if customer.language in ("zh", "en") else self._default_language  # type: ignore[return-value]

    def products(self, customer: CustomerFacts) -> list[Recommendation]:
        """The products to show this customer."""
        k = self._definition.products
        if k == 0:
            return []
        if customer.orders == 0 and customer.last_event is None:
            if self._anonymous is None:
                self._anonymous = self._recommender.recommend(None, self._query, k=k)
            return self._anonymous
        return self._recommender.recommend(customer.id, self._query, k=k)

    def render(self, customer: CustomerFacts, coupon_code: str | None, terms: CouponTerms | None,
               products: list[Recommendation], zone: tzinfo | None = None, item: str = "") -> Reply:
        """The personalised message, with the unsubscribe hint at the end (``item``: the product a
        triggered journey is about, already in the customer's language)."""
        lang = self.language(customer)
        facts = {
            "name": customer.name or t("promo_customer", lang),
            "shop": self._shop_name.get(lang, ""),
            "products": "\n".join(_product_line(r, lang) for r in products),
            "item": item,
            "coupon": coupon_code or "",
            "discount": terms.discount_text(lang) if terms else "",
            "min_spend": format_price(terms.min_spend_cents, terms.currency) if terms else "",
            "expires": terms.expires_at.astimezone(zone or UTC).date().isoformat() if terms else "",
        }
        text = self._definition.message[lang].format_map(facts).strip()
        return Reply(f"{text}\n\n{t('promo_footer', lang)}", language=lang)


def _product_line(recommendation: Recommendation, lang: Language) -> str:
    hit = recommendation.hit
    title = hit.product.get(f"title_{lang}") or hit.product.get("title_en") or hit.product["id"]
    return f"• {title} {format_price(hit.min_price_cents, hit.currency)}"
