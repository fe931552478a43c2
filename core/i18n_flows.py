"""The dialogue flows' strings in Chinese and English (merged into :data:`core.i18n.MESSAGES`)."""
from __future__ import annotations

FLOW_MESSAGES: dict[str, dict[str, str]] = {
    "with_lead": {"zh": "{lead}\n{rest}", "en": "{lead}\n{rest}"},
    "task_track_order": {"zh": "查询订单", "en": "tracking your order"},
    "task_refund_status": {"zh": "查询退款", "en": "checking your refund"},
    "task_cancel_order": {"zh": "取消订单", "en": "cancelling your order"},
    "task_change_address": {"zh": "修改收货地址", "en": "changing the delivery address"},
    "task_change_items": {"zh": "修改订单商品", "en": "changing the items of your order"},
    "task_return_items": {"zh": "退货", "en": "your return"},
    "task_exchange": {"zh": "换货", "en": "your exchange"},
    "task_invoice": {"zh": "开发票", "en": "your invoice"},
    "task_coupons": {"zh": "查询可用优惠券", "en": "checking your coupons"},
    "task_": {"zh": "当前事项", "en": "that"},
    "task_abandoned": {"zh": "好的，已停止{task}，订单没有任何改动。还有什么可以帮您？",
                       "en": "OK, I've stopped {task}. Nothing was changed. Anything else?"},
    "change_declined": {"zh": "好的，不{task}了：订单 {order_id} 保持原样，没有任何改动。还有什么可以帮您？",
                        "en": "OK, I won't go ahead: order {order_id} stays as it is. Nothing was changed. Anything else?"},
    "task_none": {"zh": "还有什么可以帮您？", "en": "Anything else I can help with?"},
    "back_to_task": {"zh": "回到{task}：", "en": "Back to {task}:"},
    "confirm_again": {"zh": "请回复“是”确认，或回复“否”取消。", "en": "Please answer yes to go ahead, or no to stop."},
    "auth_ok": {"zh": "谢谢，身份已确认。", "en": "Thanks, you're verified."},
    "verified_ready": {"zh": "谢谢，身份已确认。需要我帮您查订单、取消订单、改地址或退换货吗？",
                       "en": "Thanks, you're verified. What can I do for you: track an order, cancel it, change the "
                             "address, or a return or exchange?"},
    "need_identity_chat": {
        "zh": "为了保护您的隐私，我需要先确认您的身份。请发送您账户的邮箱，以及收货邮编或手机号，例如：name@example.com 200001。",
        "en": "To protect your privacy I need to know who you are first. Please send the email on your account "
              "together with its zip code or phone number, e.g. name@example.com 200001.",
    },
    "need_second_factor": {
        "zh": "还需要账户的收货邮编或手机号，例如：200001。",
        "en": "Please also send the zip code or phone number on the account, e.g. 200001.",
    },
    "auth_failed": {
        "zh": "抱歉，这些信息无法确认您的身份。请核对邮箱和邮编（或手机号）后再试，或转人工客服。",
        "en": "Sorry, I couldn't verify you with those details. Please check the email and zip code (or phone "
              "number) and try again, or ask for a human.",
    },
    "auth_locked": {
        "zh": "验证失败次数过多，请 {minutes} 分钟后再试，或转人工客服。",
        "en": "Too many attempts. Please try again in {minutes} minutes, or ask for a human.",
    },
    "ask_order": {"zh": "请问是哪个订单（{task}）？请发送订单号：\n{orders}",
                  "en": "Which order is this about ({task})? Please send its number:\n{orders}"},
    "no_eligible_orders": {"zh": "您的账户里没有可以{task}的订单。", "en": "You have no orders that allow {task}."},
    "refuse_status": {
        "zh": "订单 {order_id} 当前状态为“{status}”，无法{task}。按店铺政策只有{allowed}状态的订单可以{task}。",
        "en": "Order {order_id} is {status}, so {task} isn't possible for it. Under the shop's policy, {task} is "
              "only possible for orders that are {allowed}.",
    },
    "window_unknown": {
        "zh": "商店没有订单 {order_id} 的送达日期记录，我无法确认是否仍在 {days} 天的期限内。我已请同事核实您的{task}请求，"
              "他们会在这里回复您。",
        "en": "The shop has no delivery date for order {order_id}, so I can't check that it is within the {days}-day "
              "window myself. I've asked a colleague to check your request ({task}); they will reply here.",
    },
    "refuse_window": {
        "zh": "订单 {order_id} 于 {delivered} 送达，已超过 {days} 天，按店铺政策无法{task}。",
        "en": "Order {order_id} was delivered on {delivered}, more than {days} days ago, so {task} is no longer "
              "possible under the shop's policy.",
    },
    "refuse_exchange_limit": {"zh": "订单 {order_id} 的这件商品已换过 {limit} 次，无法再换。",
                              "en": "That item of order {order_id} has already been exchanged {limit} time(s)."},
    "ask_cancel_reason": {"zh": "请问取消订单 {order_id} 的原因是什么？", "en": "Why would you like to cancel order {order_id}?"},
    "confirm_cancel_order": {
        "zh": "确认取消订单 {order_id}（{items}）吗？将原路退款 {refund}。请回复“是”或“否”。",
        "en": "Cancel order {order_id} ({items})? {refund} will be refunded to the original payment method. "
              "Please answer yes or no.",
    },
    "done_cancel_order": {"zh": "订单 {order_id} 已取消，{refund} 将原路退回。",
                          "en": "Order {order_id} is cancelled. {refund} is on its way back to your original payment method."},
    "done_awaiting_approval": {
        "zh": "已提交订单 {order_id} 的申请。金额 {amount} 超过自动处理额度，需要同事人工审核，审核后会在这里通知您。",
        "en": "Your request for order {order_id} is recorded. As {amount} is above what I can approve myself, a "
              "colleague will review it and reply here.",
    },
    "shop_change_failed": {
        "zh": "抱歉，{task}没有成功：商店系统没有完成这项操作，订单 {order_id} 没有任何变动。我已把您的请求转给同事，"
              "他们会尽快在这里回复您。",
        "en": "Sorry, {task} didn't go through: the shop's system did not make the change, and nothing about order "
              "{order_id} has changed. I've passed your request to a colleague, who will reply here soon.",
    },
    "shop_change_uncertain": {
        "zh": "您对订单 {order_id} 的请求（{task}）已发给商店系统，但暂时没有收到确认。为避免重复操作，我已请同事核实结果，"
              "他们会在这里告诉您。",
        "en": "Your request for order {order_id} ({task}) reached the shop's system, but no confirmation has come "
              "back yet. So that nothing is done twice, a colleague will check the outcome and tell you here.",
    },
    "shop_cannot": {
        "zh": "这项操作（{task}）需要同事在商店后台为订单 {order_id} 完成。我已把您的请求转给同事，他们会在这里回复您。",
        "en": "A colleague needs to do this ({task}) for order {order_id} in the shop's own system. I've passed "
              "your request on, and they will reply here.",
    },
    "ask_address": {"zh": "订单 {order_id} 当前地址：{old}。请发送新的收货地址。",
                    "en": "Order {order_id} is going to {old}. What is the new delivery address?"},
    "confirm_change_address": {"zh": "确认把订单 {order_id} 的收货地址从“{old}”改为下面这个地址吗？\n{new}\n请回复“是”或“否”。",
                               "en": "Change the delivery address of order {order_id} from \"{old}\" to this one?\n{new}\n"
                                     "Please answer yes or no."},
    "ask_address_rest": {"zh": "好的，新地址目前有：\n{have}\n还需要{missing}，请发送。",
                         "en": "Got it so far:\n{have}\nI still need the {missing} of the new address."},
    "address_part_line1": {"zh": "街道", "en": "street"},
    "address_part_line2": {"zh": "门牌/单元", "en": "unit"},
    "address_part_city": {"zh": "城市", "en": "city"},
    "address_part_province": {"zh": "省/州", "en": "state/province"},
    "address_part_zip": {"zh": "邮编", "en": "zip"},
    "address_part_country": {"zh": "国家", "en": "country"},
    "done_change_address": {"zh": "订单 {order_id} 的收货地址已改为：{new}。", "en": "Order {order_id} will now go to {new}."},
    "ask_item": {"zh": "订单 {order_id} 中是哪件商品？\n{items}", "en": "Which item of order {order_id}?\n{items}"},
    "ask_variant": {"zh": "订单 {order_id} 的 {item} 想换成什么尺码或颜色？有货的选项：{choices}",
                    "en": "Which size or colour would you like instead of {item} (order {order_id})? In stock: {choices}"},
    "ask_variant_among": {"zh": "{item}（订单 {order_id}）有几款“{wanted}”的有货：{choices}。请问要哪一款？",
                          "en": "{item} (order {order_id}) is in stock in {wanted} as: {choices}. Which one would you like?"},
    "variant_unavailable": {"zh": "抱歉，{item} 没有有货的“{wanted}”。有货的选项：{choices}",
                            "en": "Sorry, {item} isn't available in {wanted}. In stock: {choices}"},
    "confirm_change_items": {"zh": "确认把订单 {order_id} 的 {item} 改为 {new}（{price}）吗？{difference} 请回复“是”或“否”。",
                             "en": "Change {item} in order {order_id} to {new} ({price})? {difference} Please answer yes or no."},
    "done_change_items": {"zh": "已把订单 {order_id} 中的商品改为 {new}。{difference}",
                          "en": "Done: order {order_id} now has {new}. {difference}"},
    "confirm_exchange": {"zh": "确认把订单 {order_id} 的 {item} 换成 {new}（{price}）吗？{difference} 请回复“是”或“否”。",
                         "en": "Exchange {item} from order {order_id} for {new} ({price})? {difference} Please answer yes or no."},
    "done_exchange": {"zh": "换货申请已提交：订单 {order_id} 换成 {new}。{difference}我们收到退回的商品后 48 小时内发出新商品。",
                      "en": "Exchange requested: order {order_id}, for {new}. {difference} We ship the replacement "
                            "within 48 hours of receiving your return."},
    "difference_none": {"zh": "价格相同，无需补差价。", "en": "Same price, nothing to pay."},
    "difference_pay": {"zh": "需补差价 {amount}。", "en": "You pay the difference of {amount}."},
    "difference_refund": {"zh": "差价 {amount} 将退还给您。", "en": "We refund the difference of {amount}."},
    "ask_return_items": {"zh": "订单 {order_id} 要退哪件商品？（也可以回复“全部”）\n{items}",
                         "en": "Which items of order {order_id} would you like to return? (or \"all\")\n{items}"},
    "ask_return_reason": {"zh": "请问订单 {order_id} 的 {items} 退货的原因是什么？",
                          "en": "What is the reason for returning {items} from order {order_id}?"},
    "ask_refund_method": {"zh": "订单 {order_id}（{items}）的退款 {amount} 希望退回{original}，还是转为店铺余额？",
                          "en": "Should the refund of {amount} for {items} (order {order_id}) go back to {original}, or "
                                "as store credit?"},
    "refund_to_original": {"zh": "原支付方式", "en": "your original payment method"},
    "refund_to_original_kinds": {"zh": "原支付方式（{kinds}）", "en": "your original payment method ({kinds})"},
    "refund_method_original": {"zh": "原支付方式", "en": "original payment method"},
    "refund_method_store_credit": {"zh": "店铺余额", "en": "store credit"},
    "refund_to_gift_card": {"zh": "您的礼品卡（店铺余额）", "en": "your gift card (store credit)"},
    "confirm_return_items": {"zh": "确认为订单 {order_id} 申请退货（{items}），退款 {refund} 到{method}吗？请回复“是”或“否”。",
                             "en": "Return {items} from order {order_id}, with {refund} refunded to {method}? "
                                   "Please answer yes or no."},
    "done_return_items": {"zh": "退货申请已提交（订单 {order_id}）。仓库收到商品后 3 个工作日内退款 {refund} 到{method}。",
                          "en": "Return requested for order {order_id}. We refund {refund} to {method} within 3 "
                                "business days of receiving the parcel."},
    "done_invoice": {"zh": "已为订单 {order_id} 申请电子发票，将在 3 个工作日内发送到 {email}。",
                     "en": "Invoice requested for order {order_id}. We'll email it to {email} within 3 business days."},
    "refund_line": {"zh": "{date} 退款 {amount} 到{method}", "en": "{amount} refunded to {method} on {date}"},
    "refund_line_undated": {"zh": "已退款 {amount} 到{method}", "en": "{amount} refunded to {method}"},
    "pay_other": {"zh": "原支付方式", "en": "the original payment method"},
    "refund_done": {"zh": "订单 {order_id} 的退款：{refunds}。", "en": "Refunds for order {order_id}: {refunds}."},
    "refund_pending": {"zh": "订单 {order_id} 当前状态：{status}，退款尚未发出。{approval}",
                       "en": "Order {order_id} is {status}; the refund has not been paid yet. {approval}"},
    "refund_awaits_approval": {"zh": "正在等待同事审核。", "en": "It is waiting for a colleague's approval."},
    "refund_none": {"zh": "订单 {order_id}（{status}）没有退款记录。", "en": "Order {order_id} ({status}) has no refund."},
    "pay_alipay": {"zh": "支付宝", "en": "Alipay"},
    "pay_wechat_pay": {"zh": "微信支付", "en": "WeChat Pay"},
    "pay_credit_card": {"zh": "信用卡", "en": "credit card"},
    "pay_paypal": {"zh": "PayPal", "en": "PayPal"},
    "pay_gift_card": {"zh": "礼品卡", "en": "gift card"},
    "pay_unionpay": {"zh": "银联", "en": "UnionPay"},
    "coupons_no_target": {"zh": "您目前没有待付款的订单，购物车也是空的。加购商品后再问我哪些优惠券可用吧。",
                          "en": "You have no pending order and nothing in your cart yet. Add something and ask me again "
                                "which coupons apply."},
    "coupon_target_order": {"zh": "订单 {order_id}", "en": "order {order_id}"},
    "coupon_target_cart": {"zh": "购物车里的 {count} 件商品", "en": "the {count} products in your cart"},
    "coupon_usable": {"zh": "{code}：立减 {discount}（{expires} 到期）", "en": "{code}: {discount} off (expires {expires})"},
    "coupon_min_spend": {"zh": "{code}：需满 {min_spend}", "en": "{code}: needs a minimum spend of {min_spend}"},
    "coupon_expired": {"zh": "{code}：已于 {expires} 过期", "en": "{code}: expired on {expires}"},
    "coupon_used": {"zh": "{code}：已使用", "en": "{code}: already used"},
    "coupons_list": {"zh": "{target}（{total}）可用的优惠券：\n{coupons}\n{others}",
                     "en": "Coupons you can use on {target} ({total}):\n{coupons}\n{others}"},
    "coupons_none": {"zh": "{target}（{total}）暂时没有可用的优惠券。\n{others}",
                     "en": "None of your coupons apply to {target} ({total}) right now.\n{others}"},
    "policy_never": {"zh": "（无）", "en": "(none)"},
    "handoff_not_understood": {
        "zh": "抱歉，我还是没能理解，已为您转接人工客服，同事会尽快在这里回复您。",
        "en": "Sorry, I still didn't get that, so I've asked a colleague to join. They'll reply here as soon as they can.",
    },
}
