"""Yes and no said with a few more words: "对，取消吧", "yes, cancel it", "好，确认取消", "no, keep it",
"不用了，先留着". The intent model sees the action's word and reads a new request ("取消" → cancel_order);
a leading yes or no followed only by a bare verb ("cancel it", "取消吧") or a keep-it phrase is the
answer. Anything longer, a question, or a remainder naming something ("ok, track my order") is left
to the model."""
from __future__ import annotations

import re

_YES = (r"yes|yeah|yep|yup|sure|ok(?:ay)?|alright|right|correct|confirm(?:ed)?|"
        r"对(?:的)?|是(?:的)?|好(?:的)?|嗯|行|可以|没错|确认|确定")
_NO = r"no|nope|nah|不(?:用|要|是)?(?:了)?|别"
_SEPARATOR = r"\s*[,，.。!！~、\s]\s*"
# after the yes: "cancel it", "go ahead", "do it now please", "please proceed"
_YES_REST_EN = re.compile(r"^(?:please\s+)?(?:go\s+ahead|go\s+for\s+it|proceed|do\s+it|[a-z]+\s+(?:it|that|this|them|the\s+order))"
                          r"(?:\s+(?:now|please|then))*$|^(?:please|yes|do\s+it|go\s+ahead)$", re.IGNORECASE)
# after 对/好: "取消吧", "确认取消", "就这样", "没问题", "退吧"
_YES_REST_ZH = re.compile(r"^(?:(?:就|那就)?(?:确认|帮我)?[\u4e00-\u9fff]{1,2}(?:吧|了|呀|啊|哈|呗)|(?:确认|帮我)[\u4e00-\u9fff]{1,2}"
                          r"|取消|退货|退款|换货|更换|修改|提交|继续|就这样(?:吧)?|没问题)$")
# after the no: "keep it", "don't cancel", "leave it as it is", "not now"
_NO_REST_EN = re.compile(r"^(?:please\s+)?(?:don'?t|do\s+not|keep|leave|not\s+(?:now|yet)|hold\s+on|wait)\b[a-z' ]{0,24}$",
                         re.IGNORECASE)
_NO_REST_ZH = re.compile(r"^(?:先|还是|暂时)?(?:不|别|留着|保留|算了)[\u4e00-\u9fff]{0,5}$")
_YES_THEN = re.compile(rf"^\W*(?:{_YES})(?:{_SEPARATOR}(?:{_YES}))*{_SEPARATOR}(.+?)\W*$", re.IGNORECASE)
_NO_THEN = re.compile(rf"^\W*(?:{_NO}){_SEPARATOR}(.+?)\W*$", re.IGNORECASE)
_DOUBT = re.compile(r"[?？\d]|\b(?:but|wait|not|don'?t|no|never)\b|但|不过|可是|等|不|别|没|吗|呢", re.IGNORECASE)


def yes_or_no(text: str) -> str | None:
    """"affirm" or "deny" when ``text`` is a yes or a no with only the action's word or a keep-it
    phrase after it; None otherwise (a plain "yes" is the model's to read)."""
    text = text.strip()
    if len(text) > 40:
        return None
    yes = _YES_THEN.match(text)
    if yes and not _DOUBT.search(yes.group(1)) and (_YES_REST_EN.match(yes.group(1)) or _YES_REST_ZH.match(yes.group(1))):
        return "affirm"
    no = _NO_THEN.match(text)
    if no and not re.search(r"[?？\d]", no.group(1)) and (_NO_REST_EN.match(no.group(1)) or _NO_REST_ZH.match(no.group(1))):
        return "deny"
    return None
