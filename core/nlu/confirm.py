"""Yes and no said with a few more words: "对，取消吧", "yes, cancel it", "行，那取消吧", "ok go ahead then",
"no, keep it", "不用了，先留着", "hmm wait, actually no. keep it", "还是不取消了，先留着吧". The intent model
sees the action's word and reads a new request ("取消" → cancel_order), or reads a long no as something
else; these are read clause by clause instead.

Every clause must be a yes ("ok", "行"), a no ("keep it", "先留着吧", "还是不取消了"), the action's bare
verb beside a yes ("cancel it", "那取消吧"), or a filler ("hmm", "actually", "嗯"); "wait" / "等等" / "我再想想" only
beside a no. A no may be followed by why ("no, keep it. i'll wear them", "先不取消了，孩子还要用"): a
refusal changes nothing, so its reason needs no reading, unless it points elsewhere ("no, the other
order", "不，换成蓝色") or says yes. Anything else in the message (a question, a number, a detail such as
"change it to blue", a reason alone such as "it does not fit"), or a yes and a no together, is left to the
model and the flows."""
from __future__ import annotations

import re

MAX_CHARS = 80
_CLAUSES = re.compile(r"[,，.。!！;；…~、]+|\s+-\s+")
_UNSURE = re.compile(r"[?？\d@]")
_OBJ = r"(?:it|that|this|them|the order|my order|the item|the items|everything)"
_TRAIL = r"now|then|please|for now|as it is|as is|alone"
_YES_EN = (r"yes|yeah|yea|yep|yup|ya|sure(?: thing)?|ok(?:ay)?|alright|all right|fine|correct|right|confirm(?:ed)?|"
           r"i confirm|please do|yes please|go ahead|go for it|proceed|do it|that'?s right|sounds good|perfect|"
           r"absolutely|definitely|of course")
_VERB_EN = rf"(?:please\s+)?(?:cancel|return|exchange|change|update|submit|process|refund|send)\s+{_OBJ}"
_NO_EN = (rf"no|nope|nah|no thanks|no need|not now|not yet|not anymore|let'?s not|i changed my mind|changed my mind|"
          rf"(?:please\s+)?(?:don'?t|do not)(?:\s+(?:do|cancel|change|return|exchange|touch|bother)(?:\s+{_OBJ})?)?|"
          rf"(?:i'?ll\s+|i'?d rather\s+|i want to\s+|i'?ll just\s+)?(?:keep|leave)\s+{_OBJ}|"
          rf"(?:i'?ll\s+)?(?:hang|hold) on to {_OBJ}")
_FILLER_EN = r"hmm+|hm+|um+|uh+|erm+|er+|oh+|ah+|well|actually|so|on second thought|thinking about it"
_DOUBT_EN = r"wait|hold on|hang on|one sec(?:ond)?|let me think(?: about it)?"
_YES_ZH = r"是的?|对的?|好的?|好啊|好嘞|嗯嗯?|可以的?|没错|没问题|确认|确定|当然|就这样吧?"
_VERB_ZH = (r"(?:那|那就|就|那么)?(?:确认|帮我)?(?:取消|退货|退款|退|换货|换|更换|修改|改|提交|办理|继续)"
            r"(?:了)?(?:吧|呀|啊|哈|呗)?")
_NO_ZH = (r"不(?:用|要|必)?了?|不是|(?:先|还是|暂时){0,2}不(?:取消|退|换|改|要|弄|办)了?(?:吧)?|还是不[\u4e00-\u9fff]{1,4}了|"
          r"(?:我)?(?:先|还是|就)?(?:留着|保留|不动)(?:吧|了)?|(?:还是)?算了(?:吧)?|没事了?|别(?:取消|退|换|改|动)?了?|"
          r"(?:保持|维持)原样(?:吧)?")
_FILLER_ZH = r"呃+|额+|哦+|噢+|啊+|哎+|唉+|诶+|欸+|哈+|其实|那|那个|想了想|我想了想"
_DOUBT_ZH = r"等等|等一下|等下|稍等(?:一下)?|(?:我|让我)?再想想|(?:我|让我)?(?:想一想|想想|考虑一下)"
# a clause after a no that points elsewhere (a correction, another order or option) or turns it into a yes
_REDIRECT = re.compile(r"\b(?:wrong|other|another|different|instead|change|switch|swap|meant|mean|rather|but|"
                       r"yes|yeah|go ahead|proceed|confirm)\b|换|改|别的|另|其他|其它|错|我是说|应该是|而是|不过|但是|"
                       r"确认|可以|继续", re.IGNORECASE)
# a yes that also opens a no ("ok, keep it", "嗯……还是算了", "行吧，先留着")
_SOFT = r"ok(?:ay)?|嗯+|好吧|行吧?|那好"


MAX_TOKEN_CHARS = 32  # the longest English word run ("i'd rather keep everything")
MAX_HANZI_TOKEN = 8  # the longest Chinese one ("还是不取消订单了")


class _Sequence:
    """A clause made only of some words (an English one not run into a following letter), checked
    position by position (dynamic programming: no regex backtracking over repeated words like "嗯嗯嗯")."""

    def __init__(self, *words: str) -> None:
        self._word = re.compile("|".join(f"(?:{w})" for w in words), re.IGNORECASE)

    def match(self, clause: str) -> bool:
        """Whether ``clause`` is a run of the words, with or without spaces between them."""
        size = len(clause)
        reach = [True] + [False] * size
        for start in range(size):
            if not reach[start]:
                continue
            if clause[start].isspace():
                reach[start + 1] = True
                continue
            longest = MAX_TOKEN_CHARS if clause[start].isascii() else MAX_HANZI_TOKEN
            for end in range(start + 1, min(size, start + longest) + 1):
                if not reach[end] and not _runs_on(clause, end) and self._word.fullmatch(clause, start, end):
                    reach[end] = True
        return reach[size]


def _runs_on(clause: str, end: int) -> bool:
    """Whether an English word ending at ``end`` runs into the next letter ("so" in "sono")."""
    return 0 < end < len(clause) and clause[end - 1].isascii() and clause[end - 1].isalpha() and \
        clause[end].isascii() and (clause[end].isalpha() or clause[end] == "'")


_FILLERS = (_FILLER_EN, _FILLER_ZH, _TRAIL)
_SOFT_FILLER = _Sequence(*_FILLERS, _DOUBT_EN, _DOUBT_ZH, _SOFT)
_NO_CLAUSE = _Sequence(_NO_EN, _NO_ZH, *_FILLERS, _DOUBT_EN, _DOUBT_ZH, _SOFT)
_FILLER_OR_VERB = _Sequence(_VERB_EN, _VERB_ZH, *_FILLERS)
_YES_CLAUSE = _Sequence(_YES_EN, _YES_ZH, _SOFT, _VERB_EN, _VERB_ZH, *_FILLERS)
_BARE = re.compile(rf"^\W*(?:{_YES_EN}|{_YES_ZH}|{_SOFT}|no|nope|nah|不|不用|不要)\W*$", re.IGNORECASE)


def natural_answer(text: str) -> str | None:
    """"affirm" or "deny" when every clause of ``text`` is a yes (with the action's word), or when it opens
    with a no (a keep-it phrase, "wait" before it allowed) and the rest only says why; None when
    anything else is said."""
    text = text.strip()
    if len(text) > MAX_CHARS or _UNSURE.search(text):
        return None
    clauses = [c.strip() for c in _CLAUSES.split(text) if c.strip()]
    if not clauses:
        return None
    softish = [bool(_SOFT_FILLER.match(c)) for c in clauses]
    refusing = [bool(_NO_CLAUSE.match(c)) for c in clauses]
    said = next((i for i, no in enumerate(refusing) if not no), len(clauses))  # the no, then why
    if said and not all(softish[:said]) and not any(_REDIRECT.search(c) or _YES_CLAUSE.match(c) for c in clauses[said:]):
        return "deny"
    plain = [bool(_FILLER_OR_VERB.match(c)) for c in clauses]
    if all(_YES_CLAUSE.match(c) or p for c, p in zip(clauses, plain)) and not all(plain):
        return "affirm"
    return None


def yes_or_no(text: str) -> str | None:
    """The clause reading of :func:`natural_answer` for a yes or no said with more words than a bare
    "yes" (a plain "yes" or "不" is the model's to read)."""
    return None if _BARE.match(text.strip()) else natural_answer(text)
