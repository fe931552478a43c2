"""Bilingual cue words for sentiment and emotion: polar words, negators, intensifiers, emoji,
sarcasm markers and the cues of each service emotion. Plain data, read by :mod:`core.sentiment.features`
and :mod:`core.sentiment.emotions`."""
from __future__ import annotations

POSITIVE = {
    "zh": ["好", "喜欢", "满意", "不错", "赞", "棒", "谢谢", "感谢", "开心", "完美", "漂亮", "好看", "舒服", "值",
           "好评", "推荐", "惊喜", "点赞", "给力", "好用", "实惠", "划算", "精致", "贴心", "耐心", "及时", "爱了",
           "喜爱", "愉快", "合身", "没问题", "辛苦", "神速", "靠谱", "物超所值", "性价比高", "回购", "五星", "牛",
           "高兴", "正品", "放心", "清楚", "顺利", "优秀", "超值", "厉害", "暖和", "透气", "扎实", "耐用", "方便"],
    "en": ["good", "great", "love", "loved", "loves", "nice", "thanks", "thank", "perfect", "happy",
           "awesome", "excellent", "amazing", "fantastic", "brilliant", "lovely", "gorgeous", "beautiful",
           "comfortable", "comfy", "pleased", "satisfied", "recommend", "recommended", "worth", "superb",
           "impressed", "impressive", "delighted", "best", "helpful", "appreciate", "appreciated", "fast", "quick",
           "quickly", "solid", "sturdy", "adore", "cute", "pretty", "wonderful", "glad", "smooth", "reliable",
           "flawless", "flawlessly", "stylish", "elegant", "outstanding", "cheers", "kudos", "five stars", "5 stars",
           "well made", "no complaints", "no issues", "works great", "spot on"],
}
NEGATIVE = {
    "zh": ["差", "烂", "生气", "失望", "垃圾", "骗", "投诉", "坏", "慢", "破", "气死", "糟糕", "太贵", "差评", "后悔",
           "无语", "恶心", "坑", "过分", "退钱", "假", "丑", "粗糙", "郁闷", "难用", "劣质", "掉色", "褪色", "起球",
           "异味", "刺鼻", "发霉", "色差", "漏", "少发", "发错", "错发", "缺货", "没人理", "没人回", "不理", "敷衍",
           "欺骗", "虚假", "忽悠", "智商税", "麻烦", "烦", "磨脚", "开胶", "压扁", "碎", "一般般", "不值", "讨厌",
           "太差", "痛苦", "耍", "拖", "不会再买", "再也不", "什么破", "不怎么样", "白买", "难受", "扯", "离谱",
           "坑爹", "醉了", "服了", "拒", "丢件", "丢了", "慌", "担心", "着急", "急死"],
    "en": ["bad", "terrible", "awful", "angry", "disappointed", "disappointing", "broken", "broke", "worst", "hate",
           "scam", "late", "damaged", "wrong", "useless", "ridiculous", "complaint", "garbage", "rubbish", "junk",
           "cheap", "cheaply", "flimsy", "poor", "poorly", "regret", "returning", "faded",
           "ripped", "leaks", "leak", "smashed", "cracked", "dead", "died", "missing", "misleading", "furious",
           "outrageous", "unacceptable", "annoying", "annoyed", "ugly", "uncomfortable", "rip-off", "ripoff",
           "fake", "meh", "letdown", "let down", "waste", "awkward", "stale", "mouldy", "moldy", "gross",
           "disgusting", "itchy", "scratchy", "overpriced", "nightmare", "worried", "panicking", "lost",
           "stalling", "nobody", "no one", "again", "unusable", "sloppy", "mediocre", "misleading",
           "stopped working", "fell apart", "one star", "zero stars", "give up", "nothing like", "not worth",
           "too small", "too big", "ignored", "rejected", "wtf", "seriously"],
}
NEGATORS = {
    "zh": ["不", "没", "别", "未", "无法", "毫无", "从未"],
    "en": ["not", "no", "never", "don't", "dont", "doesn't", "doesnt", "didn't", "didnt", "isn't", "isnt",
           "wasn't", "wasnt", "aren't", "won't", "can't", "cannot", "hardly", "without", "nothing"],
}
INTENSIFIERS = {
    "zh": ["很", "非常", "太", "超", "真", "特别", "十分", "极", "好", "巨", "贼", "真的", "实在", "完全", "一点也",
           "一点都", "超级", "相当", "最"],
    "en": ["very", "so", "really", "extremely", "super", "totally", "absolutely", "completely", "truly", "such",
           "incredibly", "utterly", "highly", "too"],
}
# Positive-looking words that flip to negative when the rest of the message complains.
SARCASM_OPENERS = {
    "zh": ["真好", "太好了", "厉害", "真行", "好家伙", "谢谢你", "真棒", "牛", "可以啊", "呵呵", "绝了"],
    "en": ["great", "oh great", "wonderful", "oh wonderful", "perfect", "just perfect", "fantastic", "brilliant",
           "awesome", "lovely", "nice", "thanks for nothing", "yeah right", "lol", "lmao", "well done"],
}
SARCASM_COMPLAINTS = {
    "zh": ["又", "再次", "还是", "错", "坏", "没", "缺", "少", "慢", "等了"],
    "en": ["again", "another", "wrong", "broken", "missing", "nobody", "no one", "late", "still", "never",
           "out of stock", "lost", "cares"],
}
# Markers that are negative on their own in shop chat (sarcasm and exasperation).
EXASPERATION = {
    "zh": ["真是醉了", "醉了", "呵呵", "服了", "无语", "好家伙", "真是够了", "我真的服了", "笑死", "谢谢你全家"],
    "en": ["thanks for nothing", "yeah right", "you've got to be kidding", "are you kidding", "give me a break",
           "unbelievable", "enough is enough", "so done", "what a joke"],
}
EMOJI_POSITIVE = ["😊", "😀", "😁", "😄", "😃", "😍", "🥰", "❤", "💕", "👍", "👏", "🎉", "🙏", "😘", "🤩", "🥳", "💯",
                  ":)", ":-)", ":d"]
EMOJI_NEGATIVE = ["😡", "😠", "🤬", "😞", "😢", "😭", "😤", "👎", "💔", "😒", "🙄", "😓", "😩", "😫", "😰", "😱",
                  ":(", ":-("]

EMOTION_CUES: dict[str, dict[str, list[str]]] = {
    "angry": {
        "zh": ["气死", "生气", "投诉", "垃圾", "骗", "坑", "过分", "差评", "什么破", "服了", "醉了", "无语", "恶心",
               "滚", "耍我", "太差", "退钱", "12315", "欺骗", "虚假", "够了", "讲不讲理", "搞什么", "人呢",
               "怎么回事", "火大", "愤怒", "摆设", "呵呵", "受够", "离谱", "😡", "😠", "🤬", "😤"],
        "en": ["angry", "furious", "ridiculous", "unacceptable", "scam", "rip-off", "ripoff", "complaint", "report",
               "garbage", "junk", "rubbish", "worst", "outrageous", "kidding", "messing with", "annoying",
               "pissed", "fed up", "enough", "disgusting", "joke", "for show", "so done", "unbelievable",
               "thanks for nothing", "wtf", "😡", "😠", "🤬", "😤"],
    },
    "anxious": {
        "zh": ["担心", "着急", "慌", "怎么办", "是不是丢", "会不会", "丢件", "丢了", "来不及", "不放心", "焦虑", "急死",
               "还没到", "还没收到", "没动", "没更新", "😰", "😱"],
        "en": ["worried", "worry", "anxious", "nervous", "what if", "is it lost", "been lost", "got lost",
               "panicking", "panic", "haven't received", "hasn't moved", "hasn't updated", "still not",
               "scared", "afraid", "😰", "😱"],
    },
    "urgent": {
        "zh": ["急", "赶紧", "马上", "尽快", "快点", "立刻", "立即", "急用", "明天就要", "今天就要", "别拖",
               "来不及", "等着用"],
        "en": ["urgent", "urgently", "asap", "right now", "immediately", "hurry", "need it tomorrow",
               "need it today", "as soon as possible", "stop stalling", "stop dragging", "quickly please"],
    },
    "disappointed": {
        "zh": ["失望", "后悔", "一般", "不值", "没有想象", "不怎么样", "郁闷", "智商税", "白买", "不好用", "不太喜欢",
               "不喜欢", "没有图片上", "😞", "😢", "😭", "💔"],
        "en": ["disappointed", "disappointing", "letdown", "let down", "regret", "meh", "not worth",
               "expected more", "waste of money", "don't like", "not great", "mediocre", "😞", "😢", "😭", "💔"],
    },
    "confused": {
        "zh": ["不明白", "看不懂", "不懂", "搞不清", "什么意思", "为什么", "为啥", "怎么会", "不知道怎么", "糊涂",
               "没看懂", "啥意思", "到底"],
        "en": ["don't understand", "do not understand", "confusing", "confused", "makes no sense", "why",
               "how come", "what does that mean", "no idea how", "unclear", "lost me"],
    },
    "satisfied": {
        "zh": ["满意", "谢谢", "感谢", "好评", "喜欢", "不错", "棒", "赞", "完美", "开心", "点赞", "爱了", "五星"],
        "en": ["satisfied", "thanks", "thank", "love", "great", "perfect", "happy", "awesome", "excellent",
               "pleased", "delighted", "five stars", "appreciate", "fantastic", "brilliant"],
    },
}
