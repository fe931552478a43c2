"""The CSAT question and its answers in Chinese and English (merged into :data:`core.i18n.MESSAGES`)."""
from __future__ import annotations

CSAT_MESSAGES: dict[str, dict[str, str]] = {
    "csat_ask": {"zh": "我们的服务您满意吗？请打 1–5 分（5 分为非常满意），点按钮或直接回复数字即可。",
                 "en": "How did we do? Rate us 1–5 (5 = excellent): tap a button or reply with the number."},
    "csat_thanks": {"zh": "感谢您的评分（{score} 分）！还有什么想对我们说的吗？直接回复即可，也可以点“不用了”。",
                    "en": "Thanks for your rating ({score}/5)! Anything you'd like to add? Just reply, or tap \"No thanks\"."},
    "csat_no_comment": {"zh": "不用了", "en": "No thanks"},
    "csat_done": {"zh": "好的，感谢您的反馈！", "en": "Got it, thanks for your feedback!"},
    "csat_comment_thanks": {"zh": "收到，感谢您的宝贵意见！", "en": "Noted, thank you for telling us!"},
    "csat_opted_out": {"zh": "好的，以后不会再请您评价了。", "en": "Understood, we won't ask you to rate us again."},
}
