"""Every user-facing string, in Chinese and English. ``t(key, lang, **facts)`` fills one in."""
from __future__ import annotations

from typing import Any

MESSAGES: dict[str, dict[str, str]] = {
    "greet": {
        "zh": "您好！我是{shop}的智能客服，可以帮您找商品、查订单、了解退换货和配送政策。请问有什么可以帮您？",
        "en": "Hi! I'm the {shop} assistant. I can help you find products, track orders, and explain returns "
              "and delivery. How can I help?",
    },
    "goodbye": {"zh": "感谢光临，祝您购物愉快！再见～", "en": "Thanks for stopping by. Happy shopping, bye!"},
    "thanks": {"zh": "不客气！还有其他可以帮您的吗？", "en": "You're welcome! Anything else I can help with?"},
    "search_results": {
        "zh": "为您找到 {total} 件{description}，这是第 {first}–{last} 件：",
        "en": "I found {total} {description}. Here are {first}–{last}:",
    },
    "search_none": {
        "zh": "抱歉，暂时没有找到{description}。看看这些相近的商品？",
        "en": "Sorry, I couldn't find {description} right now. Maybe one of these?",
    },
    "search_none_at_all": {
        "zh": "抱歉，暂时没有找到{description}。换个说法试试，比如“红色连衣裙”或“200元以内的耳机”。",
        "en": "Sorry, I couldn't find {description}. Try something like \"red dress\" or \"headphones under 300\".",
    },
    "search_no_more": {"zh": "没有更多结果了。", "en": "That's all I have for that search."},
    "any_products": {"zh": "商品", "en": "products"},
    "product_info": {
        "zh": "{title}：{description}\n价格：{price}。可选：{options}。{stock}",
        "en": "{title}: {description}\nPrice: {price}. Options: {options}. {stock}",
    },
    "in_stock": {"zh": "有货。", "en": "In stock."},
    "out_of_stock": {"zh": "目前缺货。", "en": "Currently out of stock."},
    "product_unknown": {
        "zh": "请先告诉我您想了解哪件商品，比如发送商品名称，或点击商品卡片上的“详情”。",
        "en": "Which product would you like to know about? Send its name or tap \"Details\" on a product card.",
    },
    "recommend": {"zh": "根据您的喜好，为您推荐：", "en": "Picked for you:"},
    "recommend_none": {"zh": "暂时没有合适的推荐，换个品类试试？", "en": "I have nothing to suggest for that yet. Try another category?"},
    "reason_history": {"zh": "因为您浏览过{category}", "en": "Because you viewed {category}"},
    "reason_popular": {"zh": "热销商品", "en": "Popular right now"},
    "reason_similar": {"zh": "与您看的商品相似", "en": "Similar to what you looked at"},
    "order_status": {
        "zh": "订单 {order_id}（{date} 下单，{total}）：{status}。{shipping}",
        "en": "Order {order_id} (placed {date}, {total}): {status}. {shipping}",
    },
    "order_shipping": {
        "zh": "承运商：{carrier}，运单号：{tracking_number}，预计 {expected} 送达。",
        "en": "Carrier: {carrier}, tracking number {tracking_number}, expected by {expected}.",
    },
    "order_not_found": {
        "zh": "抱歉，在您的账户里没有找到订单 {order_id}。请核对订单号（例如 #W1234567）后再发给我。",
        "en": "Sorry, I couldn't find order {order_id} on your account. Please check the number "
              "(it looks like #W1234567) and send it again.",
    },
    "no_orders": {"zh": "您的账户里还没有订单。", "en": "There are no orders on your account yet."},
    "need_identity": {
        "zh": "为了保护您的隐私，我需要先确认您的身份才能查询订单。请在店铺账户中绑定此聊天账号，或联系人工客服。",
        "en": "To protect your privacy I need to know who you are before I can look up orders. "
              "Please link this chat to your shop account, or ask for a human.",
    },
    "faq_answer": {"zh": "{title}\n{body}", "en": "{title}\n{body}"},
    "faq_missing": {
        "zh": "这个问题我暂时没有确切的答案，需要为您转接人工客服吗？",
        "en": "I'm not sure about that one. Would you like me to get a colleague to help?",
    },
    "handoff": {
        "zh": "好的，已为您转接人工客服，同事会尽快在这里回复您。",
        "en": "Sure, I've asked a colleague to join. They'll reply here as soon as they can.",
    },
    "fallback": {
        "zh": "抱歉，我没太明白。您可以问我找商品、查订单、退换货或配送问题。",
        "en": "Sorry, I didn't quite get that. You can ask me to find products, track an order, or about "
              "returns and delivery.",
    },
    "fallback_offer_human": {
        "zh": "抱歉，我还是没明白。需要为您转接人工客服吗？",
        "en": "Sorry, I still didn't get that. Shall I get a colleague to help?",
    },
    "error": {
        "zh": "抱歉，系统刚才出了点问题，您的消息已保存。请稍后再发一次，或联系人工客服。",
        "en": "Sorry, something went wrong on our side. Your message is saved; please try again in a moment.",
    },
    "btn_track": {"zh": "查订单", "en": "Track my order"},
    "btn_recommend": {"zh": "推荐商品", "en": "Recommend something"},
    "btn_human": {"zh": "转人工", "en": "Talk to a human"},
    "btn_details": {"zh": "详情", "en": "Details"},
    "btn_more_like": {"zh": "相似推荐", "en": "More like this"},
    "btn_next_page": {"zh": "下一页", "en": "Next page"},
    "price_from": {"zh": "{price} 起", "en": "from {price}"},
    "unknown": {"zh": "暂无", "en": "not yet known"},
    "status_pending": {"zh": "待处理", "en": "pending"},
    "status_processed": {"zh": "已处理，等待发货", "en": "processed, waiting to ship"},
    "status_shipped": {"zh": "已发货", "en": "shipped"},
    "status_delivered": {"zh": "已送达", "en": "delivered"},
    "status_cancelled": {"zh": "已取消", "en": "cancelled"},
    "status_return_requested": {"zh": "退货申请中", "en": "return requested"},
    "status_exchange_requested": {"zh": "换货申请中", "en": "exchange requested"},
    "status_refunded": {"zh": "已退款", "en": "refunded"},
}


def t(key: str, lang: str, **facts: Any) -> str:
    """The string ``key`` in ``lang`` (falling back to English), with ``facts`` filled in."""
    entry = MESSAGES[key]
    return entry.get(lang, entry["en"]).format(**facts)
