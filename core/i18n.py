"""Every user-facing string of the core, in Chinese and English. ``t(key, lang, **facts)`` fills one
in; an adapter keeps its own strings (e.g. ``adapters/wechat/strings.py``) and fills them with
:func:`localise`."""
from __future__ import annotations

from typing import Any

from core.i18n_csat import CSAT_MESSAGES
from core.i18n_flows import FLOW_MESSAGES

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
    "search_results_type": {
        "zh": "为您找到 {matched} 件{description}，之后是{category}里的其他 {others} 件，这是第 {first}–{last} 件：",
        "en": "I found {matched} {description}, then {others} other {category}. Here are {first}–{last}:",
    },
    "search_none_nearest": {
        "zh": "抱歉，没有符合条件的商品：{description}。最接近的是这些：",
        "en": "Nothing fits that: there are no {description}. The nearest I have:",
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
        "zh": "{title}{description}\n价格：{price}。{cheapest}可选：{options}。{stock}",
        "en": "{title}{description}\nPrice: {price}. {cheapest}Options: {options}. {stock}",
    },
    "product_cheapest": {"zh": "最便宜的是 {price}（{options}）。", "en": "Cheapest: {price} ({options}). "},
    "product_in_stock": {"zh": "有货。", "en": "In stock."},
    "product_out_of_stock": {"zh": "目前缺货。", "en": "Currently out of stock."},
    "product_unknown_stock": {"zh": "商店没有记录库存，无法确认是否有货。",
                              "en": "The shop keeps no stock count for it, so I can't say whether it's in stock."},
    "option_available": {"zh": "{title} {choice}：有货。", "en": "{title} in {choice}: in stock."},
    "option_unknown": {"zh": "{title} {choice}：商店没有记录库存，无法确认是否有货。",
                       "en": "{title} in {choice}: the shop keeps no stock count for it, so I can't say whether it's in stock."},
    "option_out_of_stock": {"zh": "{title} {choice}：目前缺货，暂不可购买。",
                            "en": "{title} in {choice} is not available right now (out of stock)."},
    "option_out_of_stock_instead": {"zh": "{title} {choice}：目前缺货，暂不可购买。有货的可选：{others}。",
                                    "en": "{title} in {choice} is not available right now (out of stock). "
                                          "Available instead: {others}."},
    "option_not_offered": {"zh": "{title}没有{choice}的款式，暂不可购买。",
                           "en": "{title} doesn't come in {choice}, so it isn't available."},
    "option_not_offered_instead": {"zh": "{title}没有{choice}的款式，暂不可购买。有货的可选：{others}。",
                                   "en": "{title} doesn't come in {choice}, so it isn't available. "
                                         "Available instead: {others}."},
    "product_unknown": {
        "zh": "请先告诉我您想了解哪件商品，比如发送商品名称，或点击商品卡片上的“详情”。",
        "en": "Which product would you like to know about? Send its name or tap \"Details\" on a product card.",
    },
    "recommend": {"zh": "根据您的喜好，为您推荐：", "en": "Picked for you:"},
    "recommend_none": {"zh": "暂时没有合适的推荐，换个品类试试？", "en": "I have nothing to suggest for that yet. Try another category?"},
    "reason_history": {"zh": "因为您浏览过{category}", "en": "Because you viewed {category}"},
    "reason_popular": {"zh": "热销商品", "en": "Popular right now"},
    "reason_similar": {"zh": "与您看的商品相似", "en": "Similar to what you looked at"},
    "reason_bought": {"zh": "因为您买过{title}", "en": "Because you bought {title}"},
    "reason_viewed": {"zh": "因为您看过{title}", "en": "Because you viewed {title}"},
    "reason_viewed_item": {"zh": "您最近看过这件", "en": "You looked at this recently"},
    "reason_in_cart": {"zh": "您加入过购物车", "en": "Still in your cart"},
    "reason_buy_again": {"zh": "您买过，需要再来一份吗？", "en": "You bought this before. Time for more?"},
    "reason_also_bought": {"zh": "买了{title}的顾客也买了", "en": "Shoppers who bought {title} also bought this"},
    "reason_similar_to": {"zh": "和{title}相似", "en": "Similar to {title}"},
    "reason_popular_in": {"zh": "{category}热销", "en": "Popular in {category}"},
    "reason_trending": {"zh": "最近很多人在看", "en": "Trending this week"},
    "reason_promoted": {"zh": "店铺精选", "en": "Shop's pick"},
    "recommend_similar": {"zh": "和{title}相似的商品：", "en": "More like {title}:"},
    "recommend_onboarding": {
        "zh": "想更了解您一点：您平时常买哪类商品？比如{categories}。告诉我之后推荐会更准。先看看大家都在买的：",
        "en": "To get to know you: what do you usually shop for, e.g. {categories}? Tell me and my picks get "
              "better. Meanwhile, here's what's popular:",
    },
    "also_like": {"zh": "您可能还喜欢：", "en": "You may also like:"},
    "order_status": {
        "zh": "订单 {order_id}（{date} 下单，{total}）：{status}。{shipping}{as_of}",
        "en": "Order {order_id} (placed {date}, {total}): {status}. {shipping}{as_of}",
    },
    "order_as_of": {
        "zh": "（商店系统暂时没有回应，以上是 {time} 的记录。）",
        "en": " (The shop's system is not answering right now: this is what it said at {time}.)",
    },
    "order_shipping": {
        "zh": "承运商：{carrier}，运单号：{tracking_number}。{expected}",
        "en": "Carrier: {carrier}, tracking number {tracking_number}. {expected}",
    },
    "order_tracking_only": {"zh": "运单号：{tracking_number}（商店没有记录承运商）。{expected}",
                            "en": "Tracking number {tracking_number} (the shop has no carrier on record). {expected}"},
    "order_expected": {"zh": "预计 {expected} 送达。", "en": "Expected by {expected}."},
    "order_delivered_on": {"zh": "{expected} 送达。", "en": "Delivered on {expected}."},
    "order_no_date": {"zh": "商店没有记录送达日期。", "en": "The shop has no delivery date on record."},
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
    "handoff_claimed": {"zh": "您好，我是客服{name}，接下来由我为您服务。", "en": "Hi, this is {name} from our team. I'm taking it from here."},
    "handoff_resolved": {"zh": "问题已处理完毕，感谢您的耐心！如需帮助，智能客服随时在这里。",
                         "en": "This is resolved. Thanks for your patience! The assistant is here if you need anything else."},
    "handoff_back_to_bot": {"zh": "已为您转回智能客服，有问题随时问我。",
                            "en": "You're back with the assistant. Ask me anything."},
    "handoff_wait": {"zh": "同事们正在忙，预计约 {minutes} 分钟内回复您。您可以直接留言，我们会完整转达。",
                     "en": "Our team is busy; expect a reply within about {minutes} minutes. You can leave a "
                           "message here and they'll see all of it."},
    "handoff_after_hours": {"zh": "现在是非工作时间，同事将于 {when} 开始回复您。您可以先留言，我们会完整转达。",
                            "en": "Our team is offline right now and will answer from {when}. Leave a message "
                                  "here and they'll see all of it."},
    "fallback": {
        "zh": "抱歉，我没太明白。您可以问我找商品、查订单、退换货或配送问题。",
        "en": "Sorry, I didn't quite get that. You can ask me to find products, track an order, or about "
              "returns and delivery.",
    },
    "fallback_offer_human": {
        "zh": "抱歉，我还是没明白。需要为您转接人工客服吗？",
        "en": "Sorry, I still didn't get that. Shall I get a colleague to help?",
    },
    "rate_limited": {
        "zh": "您的消息发得有点快，请稍等片刻再发，我们会认真回复每一条。",
        "en": "You're sending messages a little fast. Please wait a moment and try again; we'll answer every one.",
    },
    "new_chats_busy": {
        "zh": "现在新开的咨询有点多，请一分钟后再发一次您的消息，我们会尽快回复。",
        "en": "We're starting a lot of new chats right now. Please send your message again in a minute; "
              "we'll answer as soon as we can.",
    },
    "error": {
        "zh": "抱歉，系统刚才出了点问题。请稍后再发一次，或联系人工客服。",
        "en": "Sorry, something went wrong on our side. Please try again in a moment, or ask for a colleague.",
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
    # -- shopper's own settings and data rights (the core's /lang, /privacy; Telegram's /start) ---------
    "choose_language": {"zh": "请选择语言 / Please choose your language:",
                        "en": "Please choose your language / 请选择语言:"},
    "language_set": {"zh": "好的，之后我会用中文和您交流。", "en": "Got it, I'll talk to you in English."},
    "language_name_zh": {"zh": "中文", "en": "中文"},  # each language named in itself, as language pickers do
    "language_name_en": {"zh": "English", "en": "English"},
    "consent_ask": {
        "zh": "您愿意接收我们的优惠和新品消息吗？可随时发送 /unsubscribe 退订。",
        "en": "Would you like to hear about our offers and new arrivals? You can stop any time with /unsubscribe.",
    },
    "consent_granted": {"zh": "已为您订阅优惠消息，谢谢！", "en": "You're subscribed to offers. Thank you!"},
    "consent_declined": {"zh": "好的，我们不会给您发送营销消息。", "en": "OK, we won't send you marketing messages."},
    "ready": {
        "zh": "有什么可以帮您？直接告诉我您想找的商品，或点下面的按钮。发送 /help 查看全部命令。",
        "en": "How can I help? Tell me what you're looking for, or tap a button below. /help lists every command.",
    },
    "help": {
        "zh": "直接发消息告诉我您想买什么，或问订单、退换货、配送。命令：\n"
              "/start 重新开始（语言和订阅）\n/orders 我的订单\n/recommend 为我推荐\n/human 转人工客服\n"
              "/lang 切换语言\n/unsubscribe 退订优惠消息\n/privacy 导出或删除我的数据\n/help 帮助",
        "en": "Just tell me what you'd like to buy, or ask about orders, returns and delivery. Commands:\n"
              "/start start over (language, offers)\n/orders my orders\n/recommend recommend something\n"
              "/human talk to a person\n/lang change language\n/unsubscribe stop offers\n"
              "/privacy export or delete my data\n/help this help",
    },
    "unsubscribed": {
        "zh": "已退订，我们不会再给您发送营销消息。", "en": "Done. We won't send you marketing messages any more.",
    },
    "promo_customer": {"zh": "亲爱的顾客", "en": "there"},
    "promo_footer": {"zh": "回复“退订”即可不再接收此类消息。", "en": "Reply STOP to stop these messages."},
    "privacy_menu": {
        "zh": "您可以导出我们保存的关于您的全部数据，或永久删除您的个人数据。",
        "en": "You can export all the data we keep about you, or delete your personal data for good.",
    },
    "privacy_delete_cancelled": {"zh": "已取消，您的数据没有变化。", "en": "Cancelled. Nothing was deleted."},
    # -- data rights in any chat (core/actions/data_rights.py) and the export link (adapters/web/export_links.py) --
    "privacy_erase_confirm": {
        "zh": "确定永久删除您的个人数据吗？姓名、联系方式、地址和聊天记录将被删除，且无法恢复；订单金额等匿名统计会保留。"
              "确认请点“是，删除”或回复“确认删除”，回复其他内容则不会删除。",
        "en": "Delete your personal data for good? Your name, contacts, addresses and chat history will be removed "
              "and cannot be restored; anonymous totals such as order amounts are kept. To go ahead, tap "
              "\"Yes, delete\" or reply \"confirm delete\"; any other reply keeps your data.",
    },
    "privacy_erased": {
        "zh": "您的个人数据已删除，包括这段聊天记录。如需帮助，随时给我们发消息。",
        "en": "Your personal data has been deleted, this chat included. Message us any time if you need help.",
    },
    "privacy_export_link": {
        "zh": "您的数据已准备好（JSON 文件）。下载链接 {minutes} 分钟内有效，只能使用一次，请勿转发：\n{url}",
        "en": "Your data is ready (a JSON file). The download link works once, within {minutes} minutes; "
              "please don't share it:\n{url}",
    },
    "privacy_link_title": {"zh": "数据导出", "en": "Your data export"},
    "privacy_link_page": {
        "zh": "这是您在聊天中申请的个人数据导出（JSON 文件）。链接只能使用一次，{minutes} 分钟内有效。",
        "en": "This is the export of your personal data you asked for in the chat (a JSON file). The link works "
              "once, for the next {minutes} minutes.",
    },
    "privacy_link_download": {"zh": "下载我的数据", "en": "Download my data"},
    "privacy_link_unknown": {
        "zh": "这个下载链接无效。请在聊天中发送 /privacy 获取新的链接。",
        "en": "This download link is not valid. Send /privacy in the chat for a new one.",
    },
    "privacy_link_used": {
        "zh": "这个下载链接已经用过了，每个链接只能使用一次。请在聊天中发送 /privacy 获取新的链接。",
        "en": "This download link has already been used; each link works once. Send /privacy in the chat for a new one.",
    },
    "privacy_link_expired": {
        "zh": "这个下载链接已过期。请在聊天中发送 /privacy 获取新的链接。",
        "en": "This download link has expired. Send /privacy in the chat for a new one.",
    },
    "privacy_link_elsewhere": {
        "zh": "请在您申请导出的聊天窗口中点击“下载”按钮打开这个链接。",
        "en": "Please open this link with the Download button in the chat window where you asked for it.",
    },
    "added_to_cart": {"zh": "已将「{title}」加入购物车。", "en": "Added \"{title}\" to your cart."},
    "media_unsupported": {
        "zh": "抱歉，我目前只能看懂文字。请用文字告诉我您需要什么，比如“红色连衣裙”或订单号。",
        "en": "Sorry, I can only read text for now. Please tell me in words what you need, e.g. \"red dress\" "
              "or an order number.",
    },
    "media_sticker": {"zh": "收到您的表情 😊 需要我帮您找商品或查订单吗？",
                      "en": "Nice sticker 😊 Shall I help you find something or track an order?"},
    "media_location": {
        "zh": "谢谢！我不需要位置也能帮您。想了解配送，请发送“配送方式”或您的订单号。",
        "en": "Thanks! I don't need your location to help. For delivery questions, ask \"delivery options\" "
              "or send your order number.",
    },
    "btn_yes": {"zh": "是", "en": "Yes"},
    "btn_no": {"zh": "否", "en": "No"},
    "btn_yes_delete": {"zh": "是，删除", "en": "Yes, delete"},
    "btn_export": {"zh": "导出我的数据", "en": "Export my data"},
    "btn_delete": {"zh": "删除我的数据", "en": "Delete my data"},
    "btn_add_to_cart": {"zh": "加入购物车", "en": "Add to cart"},
    "cmd_start": {"zh": "开始：语言和订阅", "en": "Start: language and offers"},
    "cmd_help": {"zh": "帮助", "en": "Help"},
    "cmd_orders": {"zh": "我的订单", "en": "My orders"},
    "cmd_recommend": {"zh": "为我推荐", "en": "Recommend something"},
    "cmd_human": {"zh": "转人工客服", "en": "Talk to a person"},
    "cmd_lang": {"zh": "切换语言", "en": "Change language"},
    "cmd_unsubscribe": {"zh": "退订优惠消息", "en": "Stop offers"},
    "cmd_privacy": {"zh": "导出或删除我的数据", "en": "Export or delete my data"},
    # -- tone adjustments from the shopper's sentiment (core/reply/tone_shaping.py) --------
    "tone_apology": {
        "zh": "非常抱歉给您带来了不好的体验，这是我们的问题，我会负责帮您处理好。",
        "en": "I'm really sorry about this. That's on us, and I'll take care of it for you.",
    },
    "tone_apology_brief": {"zh": "抱歉，马上为您处理。", "en": "Sorry about that. On it."},
    "tone_reassure": {
        "zh": "请放心，我们会跟进到底，有任何进展都会在这里告诉您。",
        "en": "Don't worry, we'll see this through and keep you posted here.",
    },
    "tone_reassure_order": {
        "zh": "请放心，您的订单 {order_id} 预计 {expected} 送达。",
        "en": "Don't worry: your order {order_id} is expected by {expected}.",
    },
    "tone_review_invite": {
        "zh": "很高兴您满意！方便的话，欢迎为订单 {order_id} 写个评价，帮助其他顾客选购。",
        "en": "Glad you're happy! If you have a moment, a review of order {order_id} would help other shoppers.",
    },
    "order_status_brief": {"zh": "订单 {order_id}：{status}。{shipping}", "en": "Order {order_id}: {status}. {shipping}"},
    # -- staff cards (Slack, the staff inbox) --------------------------------------
    "summary_machine": {"zh": "AI 摘要（机器生成）——请以对话记录为准", "en": "AI summary (machine-written): check the transcript"},
    "handoff_brief": {"zh": "已转人工，同事马上回复您。", "en": "A colleague will reply here shortly."},
    "thanks_brief": {"zh": "不客气！", "en": "You're welcome!"},
    "fallback_brief": {
        "zh": "抱歉没看懂，请直接发订单号或商品名。",
        "en": "Sorry, I didn't get that. Send an order number or a product name.",
    },
}

# What each intent means, as a shopper reads it (the clarifying question names two of them).
INTENT_LABELS: dict[str, dict[str, str]] = {
    "greet": {"zh": "打个招呼", "en": "saying hello"},
    "goodbye": {"zh": "结束对话", "en": "saying goodbye"},
    "thank_you": {"zh": "表示感谢", "en": "saying thanks"},
    "affirm": {"zh": "确认", "en": "saying yes"},
    "deny": {"zh": "否定", "en": "saying no"},
    "chitchat": {"zh": "闲聊", "en": "a chat"},
    "out_of_scope": {"zh": "其他问题", "en": "something else"},
    "product_search": {"zh": "找商品", "en": "finding a product"},
    "product_info": {"zh": "了解商品详情", "en": "details of a product"},
    "recommend": {"zh": "推荐商品", "en": "recommendations"},
    "price_promotion": {"zh": "价格和优惠活动", "en": "prices and promotions"},
    "coupon": {"zh": "优惠券", "en": "coupons"},
    "place_order": {"zh": "下单购买", "en": "placing an order"},
    "check_payment_methods": {"zh": "支付方式", "en": "payment methods"},
    "payment_issue": {"zh": "付款问题", "en": "a payment problem"},
    "delivery_options": {"zh": "配送方式和运费", "en": "delivery options"},
    "delivery_period": {"zh": "配送时间", "en": "delivery times"},
    "track_order": {"zh": "查询订单物流", "en": "tracking an order"},
    "cancel_order": {"zh": "取消订单", "en": "cancelling an order"},
    "change_order": {"zh": "修改订单", "en": "changing an order"},
    "change_shipping_address": {"zh": "修改收货地址", "en": "changing the delivery address"},
    "set_up_shipping_address": {"zh": "添加收货地址", "en": "adding a delivery address"},
    "check_cancellation_fee": {"zh": "取消费用", "en": "cancellation fees"},
    "return_item": {"zh": "退货", "en": "returning an item"},
    "exchange_item": {"zh": "换货", "en": "exchanging an item"},
    "get_refund": {"zh": "申请退款", "en": "getting a refund"},
    "track_refund": {"zh": "查询退款进度", "en": "the status of a refund"},
    "check_refund_policy": {"zh": "退换货政策", "en": "the returns policy"},
    "check_invoice": {"zh": "查看发票", "en": "finding an invoice"},
    "get_invoice": {"zh": "开发票", "en": "getting an invoice"},
    "complaint": {"zh": "投诉", "en": "making a complaint"},
    "review": {"zh": "评价商品", "en": "leaving a review"},
    "create_account": {"zh": "注册账号", "en": "creating an account"},
    "delete_account": {"zh": "注销账号", "en": "deleting an account"},
    "edit_account": {"zh": "修改账户信息", "en": "editing your account"},
    "switch_account": {"zh": "切换账号", "en": "switching accounts"},
    "recover_password": {"zh": "找回密码", "en": "recovering a password"},
    "registration_problems": {"zh": "注册遇到问题", "en": "a problem signing up"},
    "newsletter_subscription": {"zh": "订阅或退订资讯", "en": "the newsletter"},
    "contact_customer_service": {"zh": "客服联系方式", "en": "contacting customer service"},
    "contact_human_agent": {"zh": "转人工客服", "en": "talking to a person"},
    "check_privacy_policy": {"zh": "隐私政策", "en": "privacy"},
}
MESSAGES["clarify"] = {
    "zh": "我想确认一下：您是想问“{first}”，还是“{second}”？",
    "en": "Just to check: do you mean {first}, or {second}?",
}
MESSAGES.update({f"intent_{intent}": label for intent, label in INTENT_LABELS.items()})
MESSAGES.update(FLOW_MESSAGES)  # the dialogue flows' strings (core/i18n_flows.py)
MESSAGES.update(CSAT_MESSAGES)  # the CSAT question and answers (core/i18n_csat.py)


def intent_label(intent: str) -> dict[str, str]:
    """An intent's name for shoppers in both languages (the intent itself if it has no label)."""
    return INTENT_LABELS.get(intent, {"zh": intent, "en": intent.replace("_", " ")})


def t(key: str, lang: str, **facts: Any) -> str:
    """The string ``key`` in ``lang`` (falling back to English), with ``facts`` filled in."""
    return fill(MESSAGES[key], lang, **facts)


def fill(entry: dict[str, str], lang: str, **facts: Any) -> str:
    """One bilingual string (``{"zh": …, "en": …}``, e.g. an adapter's own) in ``lang``, falling back
    to English, with ``facts`` filled in."""
    return entry.get(lang, entry["en"]).format(**facts)
