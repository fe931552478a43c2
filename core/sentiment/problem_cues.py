"""What a shopper says when something went wrong with an order, as plain data for
:mod:`core.sentiment.problems`: regular expressions over normalised text (lower case, NFKC), one list
per kind of problem, and the words that make a mention no report (a hypothetical, a policy question).
Written for Kefu from the kinds of problem a shop's service desk hears, not from any test set."""
from __future__ import annotations

_N = r"(?:\d+|a|an|one|two|three|four|five|six|seven|eight|nine|ten|several|few|couple of)"
_ZH_N = r"(?:\d+|[一二三四五六七八九十两几半]+)"

PROBLEMS: dict[str, dict[str, list[str]]] = {
    "en": {
        "damaged": [
            r"broke|broken|cracked|cracks?|smashed|shattered|crushed|dented|squashed|torn|ripped|snapped|bent",
            r"scratch(?:ed|es)|stain(?:ed|s)|soaked|soaking wet|leak(?:s|ed|ing|y)?|spilled|spilt",
            r"damaged?|defective|faulty|dead|died|dead on arrival|doa|fell apart|falling apart|came apart|came off|fell off",
            r"peeling|frayed|unravell?ing|shr[au]nk|faded|pilling|holes? in",
            r"mou?ldy|expired|stale|rotten|spoiled|melted|smells?|stinks?|reeks?|rash|allergic reaction|hives",
        ],
        "not working": [
            r"stopped working|quit working|(?:does ?n[o']?t|do ?n[o']?t|wo ?n[o']?t|will not|can ?n[o']?t|cannot|is ?n[o']?t|"
            r"are ?n[o']?t|not) (?:work(?:ing)?|charg(?:e|ing)|turn(?:ing)? on|connect(?:ing)?|pair(?:ing)?|power(?:ing)? on|"
            r"open(?:ing)?|close|zip|fit|stay on)",
            r"no sound|no power|keeps? (?:crashing|freezing|disconnecting|dropping|failing|declining|logging me out)",
        ],
        "missing": [
            r"missing|never (?:arrived|came|showed up|turned up|got (?:it|here|there)|received|delivered)",
            r"(?:did ?n[o']?t|have ?n[o']?t|has ?n[o']?t|still (?:have ?n[o']?t|has ?n[o']?t)) (?:arrived?|come|"
            r"receive[d]?|shown up|turned up|been delivered)",
            r"(?:got|received) nothing|nothing (?:arrived|came|inside)|empty (?:box|parcel|package|bag)",
            r"only (?:got|received|came with) (?:one|two|half|part|some)|half (?:my|the|of my|of the) order",
        ],
        "wrong": [
            r"wrong (?:item|size|colou?r|product|order|one|thing|model|parcel|package|address|pair|shoes?|book|"
            r"version|flavou?r|style|amount|price)",
            r"not what i (?:ordered|bought|paid for)|sent (?:me )?(?:the wrong|someone else)|someone else's",
            r"(?:colou?r|size|item|product|address|order|model|amount|price|total) (?:is|was|are|were) (?:\w+ )?wrong",
            r"nothing like|does ?n[o']?t (?:look like|match)|different (?:colou?r|size|item|product|model) (?:than|from)",
            r"fake|counterfeit|knock-?off|second[- ]hand|(?:was|been|already) (?:used|opened|worn)|tampered",
        ],
        "late": [
            r"late(?! to)|delayed|stall(?:ing|ed)|delays?|overdue|still (?:waiting|not here|nothing|no sign)|"
            r"has ?n[o']?t moved|not moved|"
            r"stuck (?:in|at)|no updates?",
            rf"(?:waiting|waited|been waiting) (?:for |on )?(?:over |more than )?{_N} (?:days?|weeks?|months?|hours?)",
            rf"took (?:over |more than )?{_N} (?:days?|weeks?|months?)|{_N} (?:weeks?|months?) (?:later|now|and)",
            r"on hold for",
        ],
        "charged": [
            r"(?:charged|billed) (?:me )?(?:twice|two times|double|again|extra|too much|the wrong|for (?:something|an item|shipping))",
            r"double[- ]charged|overcharged|extra charge|hidden fees?|charged twice|paid twice|billed twice",
            r"(?:no|never got my|still no|have ?n[o']?t (?:got|gotten|received) my|where is my) refund",
            r"refund (?:still )?(?:has ?n[o']?t|has not|never|is still|still has ?n[o']?t|did ?n[o']?t)",
        ],
        "let down by the shop": [
            r"hung up|hang up on|rude|ignored|ignoring|no ?one (?:is |was )?(?:answer|repl|respond|got back|pick|call|help)\w*|"
            r"nobody (?:is |was )?(?:answer|repl|respond|got back|pick|call|help)\w*",
            r"never (?:replied|responded|got back|called|heard back|happened)|unanswered|without (?:telling|asking|"
            r"notifying|warning|any notice)",
            r"promised|lied|(?<!i )(?:cancell?ed|refused|rejected|declined) my|(?:was|got|been) (?:rejected|declined|refused)",
            r"left (?:it |them |my \w+ )?(?:in the rain|outside|at the (?:door|gate)|with a neighbou?r)|thrown",
        ],
    },
    "zh": {
        "damaged": [
            r"坏了|坏掉|弄坏|摔坏|压坏|碰坏|碎了|碎掉|摔碎|破了|破损|破洞|破掉|烂了|裂了|裂开|裂纹|断了|折断|开胶|开线|脱线|"
            r"掉漆|掉皮|划痕|刮花|划花|变形|压扁|凹了|瘪了|漏水|漏液|漏音|漏了|湿了|湿透|泡水|发霉|长毛|过期|馊了|变质|坏的|破的",
            r"色差|有味|怪味|刺鼻|异味|臭味|一股.{0,3}味|缩水|掉色|褪色|串色|起球|起毛|过敏|起疹|红肿|发痒|刺痛|烂脸|瑕疵|污渍|脏了|有污",
        ],
        "not working": [
            r"不响|没声音|没有声音|没声了|不亮|不转|不出水|不制冷|不加热|打不开|开不了|开不开|关不了|充不进|充不上|充不了|"
            r"连不上|用不了|不能用|没法用|用不成|失灵|不灵|卡死|死机|闪退|掉线|踢下线|故障|拉不上|穿不上",
        ],
        "missing": [
            r"少了|少发|漏发|少了一|少一件|少一个|少给|缺了|缺少|缺件|只收到|空盒|空包裹|是空的",
            r"没收到|没有收到|收不到|没到货|丢了|丢件|不见了|根本没",
        ],
        "wrong": [
            r"发错|错发|寄错|送错|给错|拿错|配错|(?:颜色|尺码|码数|型号|款式|货|东西|数量|件数).{0,4}(?<!对)不对",
            r"不是我(?:买|要|订|下单|选)的|(?:跟|和|与)(?:图|图片|照片|描述|详情|宣传|介绍|说的|写的|网上|页面|实物).{0,4}"
            r"不(?:一样|符)|货不对板|不符",
            r"(?:尺码|尺寸|码数|描述|图片|照片|重量|颜色)表?.{0,4}(?<![拿说吃])不准",  # not 拿不准 / 说不准: "not sure"
            r"假货|假的|山寨|仿品|高仿|次品|残次|二手|用过的|被拆|拆过|被打开|穿过的",
        ],
        "late": [
            r"还没到|一直没(?:到|收到|发|回|人|动|更新|退)|迟迟|延误|延迟|晚到了|(?<!刚)才到|(?<!刚)才发|还不发|不发货|没发货|"
            r"还没发|不动了|没动|没更新|没有更新|慢死",
            rf"{_ZH_N}(?:个)?(?:天|周|星期|礼拜|月|小时|钟头)(?:了)?.{{0,3}}(?:还没|还不|都没|也没|才|没|不动|不发|不到)",
            rf"(?:等了|等待了|排了).{{0,4}}{_ZH_N}(?:个)?(?:天|周|星期|礼拜|月|小时|钟头|分钟)",
            rf"拖了.{{0,3}}{_ZH_N}(?:个)?(?:天|周|星期|礼拜|月)",
            rf"排队.{{0,4}}{_ZH_N}(?:个)?(?:小时|钟头|分钟|天)了",
        ],
        "charged": [
            r"扣了?(?:我)?两次|扣两遍|重复扣|多扣|扣错|多收|乱扣|乱收|收了?(?:我)?两次|付了两次|被扣|"
            r"没退|不给退|不退款|退款.{0,4}(?:没|还没|不)|钱.{0,3}没(?:到|退)|没到账",
        ],
        "let down by the shop": [
            r"挂(?:我|了我)?(?:的)?电话|没人(?:回|理|接|管|打|处理)|不理|不回|爱答不理|态度(?:很|太|好|真|超|特别|非常|极其)?(?:差|不好|恶劣|敷衍)",
            r"说好的|答应(?:我|了我)?的|没通知|不通知|擅自|私自|取消了我|被拒|被(?:丢|扔|摔|压|拆|偷|退回|取消)",
        ],
    },
}

# A clause with one of these is no report: a hypothetical ("what if it arrives broken", "万一坏了"), a
# policy or how-it-usually-goes question ("do you refund late orders", "一般几天到"), a question whether it
# happens at all ("会掉色吗", "有色差吗"), or a shopper who
# says it is fine ("no rush if it's late", "晚点到没关系").
NOT_A_REPORT: dict[str, str] = {
    "en": r"\b(?:if|in case|what happens|suppose|supposing|assuming|policy|policies|usually|normally|generally|"
          r"typically|no rush|no hurry|no problem|no worries|don'?t mind|do not mind|happy to wait|can wait)\b",
    "zh": r"如果|万一|要是|假如|假设|的话|会不会|是否会|一般|通常|容易|经常|政策|规定|以防|以免|怕|没关系|不要紧|无所谓|"
          r"不急|不着急|慢慢来|(?:有|会)[^，。！？]{0,6}(?:吗|么|嘛)[?？]?$",
}

# Negation just before a mention ("not damaged", "没坏", "nothing is missing").
NEGATED: dict[str, str] = {
    "en": r"\b(?:not|no|never|nothing|none|without|is ?n[o']?t|was ?n[o']?t|are ?n[o']?t|were ?n[o']?t|do ?n[o']?t|"
          r"does ?n[o']?t|did ?n[o']?t)(?:\s+\w+)?\s*$",
    "zh": r"(?:不|没|没有|别|未|无)$",
}
