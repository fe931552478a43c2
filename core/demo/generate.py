"""Deterministic generator for the bilingual (zh/en) demo shop.

``python -m core.demo.generate [OUT_DIR]`` writes ``categories.json``, ``products.json``,
``customers.json``, ``orders.json`` and ``faq.json`` (default ``core/demo/data``). Everything is
drawn from one ``random.Random(SEED)`` against the fixed :data:`REFERENCE` time, never the clock,
so every run produces byte-identical files.

Each customer has one or two hidden favourite categories (and a few liked products in them);
their browsing events and purchases are drawn mostly from those, so a recommender can learn
them from the data. The favourites themselves are not written out.
"""
from __future__ import annotations

import json
import random
import re
import sys
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, NamedTuple

from core.store.orders import ORDER_STATUSES

SEED = 20261101
REFERENCE = datetime(2026, 11, 1, tzinfo=UTC)
DEFAULT_OUT_DIR = Path(__file__).resolve().parent / "data"
CURRENCY = "CNY"

PALETTE = ("red", "blue", "black", "white", "pink", "green", "grey", "beige", "yellow", "purple")
CLOTHING_SIZES = ("S", "M", "L", "XL", "XXL")
SHOE_SIZES = tuple(str(n) for n in range(35, 45))
KIDS_SIZES = ("90", "100", "110", "120", "130", "140")
PHONE_MODELS = ("iPhone 15", "iPhone 16", "Huawei Mate 60", "Xiaomi 14")
MAX_VARIANTS = 12
# Options whose values do not change the price; any other pinned option is priced by position.
PRICE_NEUTRAL_OPTIONS = frozenset({"color", "size", "model", "scent", "flavor", "switch", "material"})
# How much each step along a priced option adds, as a share of the base price (default 0.5).
PRICE_STEPS = {"weight": 0.9, "pack": 0.8, "capacity": 0.5, "size": 0.25, "length": 0.3}
OUT_OF_STOCK_RATE = 0.12
MAX_STRAY_SHARE = 0.3  # purchases outside a customer's favourite categories, at most


# --------------------------------------------------------------------------------------------
# Catalogue tables
# --------------------------------------------------------------------------------------------
class Item(NamedTuple):
    """One product template: bilingual title, base price in yuan, tags and a selling point.

    ``keys`` overrides the category's option keys; ``fixed`` pins option values (a ``color`` or
    ``size`` not pinned is drawn from the category's pools).
    """

    zh: str
    en: str
    price: int
    tags: tuple[str, ...]
    note_zh: str
    note_en: str
    keys: tuple[str, ...] | None = None
    fixed: dict[str, tuple[str, ...]] | None = None


@dataclass(frozen=True)
class Category:
    """A category with the words shoppers use for it, its brands and product templates."""

    id: str
    name_zh: str
    name_en: str
    aliases: tuple[str, ...]
    brands: tuple[str, ...]
    option_keys: tuple[str, ...]
    palette: tuple[str, ...]
    closings: tuple[tuple[str, str], ...]
    items: tuple[Item, ...]
    sizes: tuple[str, ...] = CLOTHING_SIZES
    consumable: bool = False


CLOTHING_CLOSINGS = (
    ("建议冷水手洗，低温熨烫。", "Hand wash cold and iron on low heat."),
    ("模特身高168cm，穿M码。", "Our model is 168 cm tall and wears size M."),
    ("版型偏小，介于两个尺码之间建议选大一码。", "Runs slightly small; size up if you are between sizes."),
    ("可机洗，请翻面装入洗衣袋。", "Machine washable; turn inside out and use a laundry bag."),
)

CATEGORIES: tuple[Category, ...] = (
    Category(
        "dresses", "连衣裙", "Dresses",
        ("连衣裙", "裙子", "长裙", "连身裙", "礼服裙", "dress", "dresses", "gown", "frock", "sundress"),
        ("Maison Lune", "木棉花语", "Petal & Thread"), ("color", "size"), PALETTE, CLOTHING_CLOSINGS,
        (
            Item("法式碎花雪纺连衣裙", "French floral chiffon dress", 239, ("summer", "floral", "chiffon"),
                 "V领搭配收腰剪裁，裙摆轻盈飘逸，约会和度假都合适。",
                 "A V-neckline and cinched waist over a light, floaty skirt, made for dates and holidays.",
                 fixed={"color": ("red", "blue", "white")}),
            Item("红色丝绒小礼服裙", "Red velvet cocktail dress", 459, ("party", "velvet", "evening"),
                 "垂感丝绒面料配方领收腰设计，年会和婚宴上都很出彩。",
                 "Drapey velvet with a square neckline and fitted waist; a standout at parties and weddings.",
                 fixed={"color": ("red", "black")}),
            Item("复古波点茶歇裙", "Vintage polka-dot tea dress", 299, ("vintage", "polka dot", "spring"),
                 "经典波点图案配泡泡短袖，A字裙摆修饰腿型。",
                 "Classic polka dots with puffed short sleeves and an A-line skirt that flatters every step.",
                 fixed={"color": ("red", "blue", "black")}),
            Item("罗纹针织修身长裙", "Ribbed knit midi dress", 269, ("autumn", "knit", "bodycon"),
                 "弹力罗纹针织贴合身形，单穿或外搭大衣都好看。",
                 "Stretchy ribbed knit that follows your shape; wear it alone or under a coat."),
            Item("棉麻宽松衬衫裙", "Relaxed linen-cotton shirt dress", 219, ("linen", "casual", "summer"),
                 "透气棉麻面料，可系腰带也可敞开当外套穿。",
                 "Breathable linen-cotton that works belted as a dress or open as a light layer."),
            Item("缎面吊带长裙", "Satin slip maxi dress", 329, ("satin", "evening", "maxi"),
                 "光泽缎面配可调节细肩带，斜裁裙身自然垂坠。",
                 "Lustrous satin with adjustable straps and a bias cut that drapes beautifully.",
                 fixed={"color": ("red", "green", "black", "beige")}),
            Item("泡泡袖方领连衣裙", "Puff-sleeve square-neck dress", 199, ("cotton", "spring", "romantic"),
                 "纯棉面料配方领和泡泡袖，背部系带可调节松紧。",
                 "Soft cotton with a square neckline, puff sleeves and a tie back for an adjustable fit."),
            Item("新中式盘扣旗袍裙", "Modern qipao dress with frog buttons", 399, ("qipao", "chinese style", "festive"),
                 "改良立领与手工盘扣，保留旗袍韵味又方便日常穿着。",
                 "A softened mandarin collar and hand-knotted frog buttons: qipao charm, easy to wear daily.",
                 fixed={"color": ("red", "blue", "green")}),
        ),
    ),
    Category(
        "t-shirts", "T恤", "T-shirts",
        ("T恤", "t恤", "短袖", "体恤", "半袖", "打底衫", "t-shirt", "t-shirts", "tshirt", "tee", "tees", "top"),
        ("Basic Lab", "棉知道", "Northcotton"), ("color", "size"),
        ("white", "black", "grey", "blue", "green", "pink", "yellow", "beige"), CLOTHING_CLOSINGS,
        (
            Item("纯棉圆领基础款T恤", "Classic crew-neck cotton tee", 59, ("cotton", "basic", "everyday"),
                 "精梳棉面料柔软亲肤，领口加固不易变形。",
                 "Combed cotton that feels soft on skin, with a reinforced collar that keeps its shape.",
                 fixed={"color": ("white", "black", "grey")}),
            Item("重磅落肩宽松T恤", "Heavyweight drop-shoulder oversized tee", 99, ("oversized", "heavyweight", "streetwear"),
                 "260克重磅棉有质感不透，落肩宽松版型男女同穿。",
                 "Substantial 260 gsm cotton that is never see-through, in a unisex drop-shoulder cut."),
            Item("冰丝速干短袖", "Ice-silk quick-dry tee", 79, ("quick-dry", "summer", "cooling"),
                 "冰丝面料触感凉爽，吸湿速干，夏天通勤不闷热。",
                 "Cool-to-the-touch fabric that wicks sweat and dries fast for hot commutes."),
            Item("印花图案情侣T恤", "Graphic print couples tee", 89, ("graphic", "couples", "cotton"),
                 "原创插画印花，水洗不掉色，情侣同款可分别选码。",
                 "Original illustrated print that survives the wash; order his and hers in separate sizes."),
            Item("莫代尔修身V领T恤", "Modal slim V-neck tee", 69, ("modal", "slim", "v-neck"),
                 "莫代尔混纺顺滑有弹性，适合单穿或做打底。",
                 "Smooth, stretchy modal blend that works on its own or as a base layer."),
            Item("条纹海魂衫", "Breton stripe tee", 109, ("stripe", "french", "cotton"),
                 "经典法式横条纹，船领设计显得肩颈线条利落。",
                 "The classic French stripe with a boat neck that frames the shoulders neatly.",
                 fixed={"color": ("blue", "red", "black")}),
            Item("长绒棉翻领Polo衫", "Long-staple cotton polo shirt", 149, ("polo", "business casual", "cotton"),
                 "新疆长绒棉珠地面料，挺括透气，上班周末都能穿。",
                 "Xinjiang long-staple cotton pique, crisp and breathable for the office or the weekend."),
            Item("华夫格长袖T恤", "Waffle-knit long-sleeve tee", 119, ("waffle", "long sleeve", "autumn"),
                 "立体华夫格纹理保暖不厚重，春秋单穿正合适。",
                 "Textured waffle knit that adds warmth without bulk, ideal for spring and autumn."),
        ),
    ),
    Category(
        "trousers", "裤子", "Jeans & Trousers",
        ("裤子", "牛仔裤", "长裤", "休闲裤", "阔腿裤", "西裤", "jeans", "trousers", "pants", "denim", "chinos", "slacks"),
        ("Indigo Road", "裤语", "Fieldline"), ("color", "size"),
        ("blue", "black", "grey", "beige", "white", "green"), CLOTHING_CLOSINGS,
        (
            Item("高腰直筒牛仔裤", "High-rise straight-leg jeans", 229, ("denim", "high-rise", "straight"),
                 "高腰设计拉长腿部比例，微弹牛仔布久坐也舒服。",
                 "A high rise that lengthens the leg, in lightly stretchy denim that stays comfortable all day.",
                 fixed={"color": ("blue", "black")}),
            Item("弹力修身小脚牛仔裤", "Stretch skinny jeans", 199, ("denim", "skinny", "stretch"),
                 "四面弹力面料贴合不紧绷，洗后不易松垮。",
                 "Four-way stretch denim that hugs without squeezing and keeps its shape after washing."),
            Item("垂感西装阔腿裤", "Drapey wide-leg tailored trousers", 259, ("tailored", "wide-leg", "office"),
                 "垂感面料配高腰阔腿版型，搭配衬衫即是通勤造型。",
                 "Fluid fabric in a high-waisted wide leg; add a shirt and you are ready for the office."),
            Item("工装多口袋休闲裤", "Utility cargo pants", 189, ("cargo", "utility", "streetwear"),
                 "立体多口袋设计实用耐磨，裤脚可调节抽绳。",
                 "Hard-wearing cargo pockets and adjustable drawcord hems for an easy utility look."),
            Item("冰丝九分休闲裤", "Cool-touch cropped chinos", 159, ("cropped", "summer", "chinos"),
                 "九分长度露出脚踝，冰丝面料夏天穿也不闷。",
                 "An ankle-grazing crop in a cooling fabric that stays fresh through summer."),
            Item("复古宽松老爹牛仔裤", "Vintage loose dad jeans", 249, ("denim", "vintage", "relaxed"),
                 "做旧水洗处理，宽松直筒版型随性又耐看。",
                 "A vintage wash in a relaxed straight leg that looks better the more you wear it.",
                 fixed={"color": ("blue", "grey")}),
            Item("灯芯绒直筒裤", "Corduroy straight trousers", 219, ("corduroy", "autumn", "winter"),
                 "细条灯芯绒柔软保暖，秋冬搭配毛衣很有氛围。",
                 "Soft fine-wale corduroy that keeps you warm and pairs perfectly with knitwear."),
            Item("抽绳束脚卫裤", "Drawstring jogger sweatpants", 139, ("jogger", "loungewear", "fleece"),
                 "毛圈棉面料配抽绳腰头，居家运动两相宜。",
                 "French-terry cotton with a drawstring waist, equally good for lounging and workouts."),
        ),
    ),
    Category(
        "shoes", "鞋履", "Shoes",
        ("鞋", "鞋子", "运动鞋", "板鞋", "跑鞋", "靴子", "高跟鞋", "凉鞋", "shoes", "sneakers", "trainers", "boots", "heels", "sandals"),
        ("Stride", "步履不停", "Cobble & Co"), ("color", "size"), ("white", "black", "beige", "grey", "red", "blue", "pink"),
        (
            ("鞋码标准，脚背偏高建议选大半码。", "True to size; go half a size up if you have a high instep."),
            ("附赠防尘袋和备用鞋带。", "Comes with a dust bag and a spare pair of laces."),
            ("避免长时间暴晒，用软布擦拭清洁。", "Keep out of strong sun and wipe clean with a soft cloth."),
        ),
        (
            Item("经典小白板鞋", "Classic white leather sneakers", 299, ("sneakers", "leather", "everyday"),
                 "头层牛皮鞋面配橡胶大底，百搭耐穿。",
                 "Full-grain leather uppers on a rubber sole that go with everything and last for years.",
                 fixed={"color": ("white", "black")}),
            Item("轻量缓震跑步鞋", "Lightweight cushioned running shoes", 499, ("running", "cushioned", "sport"),
                 "单只仅230克，中底回弹缓震，适合日常慢跑。",
                 "Just 230 g per shoe with a springy cushioned midsole for daily runs."),
            Item("法式尖头细跟高跟鞋", "French pointed-toe stiletto heels", 429, ("heels", "pointed toe", "party"),
                 "7厘米细跟搭配尖头设计，内里加厚海绵不磨脚。",
                 "7 cm stilettos with a pointed toe and a padded insole that will not rub.",
                 fixed={"color": ("red", "black", "beige")}),
            Item("真皮切尔西短靴", "Leather Chelsea boots", 699, ("boots", "leather", "winter"),
                 "两侧弹力松紧带方便穿脱，防滑橡胶底适合雨雪天。",
                 "Elastic side panels slip on easily, and the grippy rubber sole handles rain and snow.",
                 fixed={"color": ("black", "beige")}),
            Item("帆布高帮休闲鞋", "High-top canvas shoes", 159, ("canvas", "high-top", "casual"),
                 "加厚帆布鞋面，硫化大底耐磨，学生党首选。",
                 "Thick canvas uppers on a vulcanised sole; a student favourite."),
            Item("软底牛皮乐福鞋", "Soft-sole leather loafers", 359, ("loafers", "leather", "office"),
                 "柔软牛皮包裹脚型，一脚蹬设计通勤省时。",
                 "Supple leather that moulds to your foot in an easy slip-on shape for busy mornings."),
            Item("厚底增高老爹鞋", "Chunky platform dad sneakers", 389, ("chunky", "platform", "streetwear"),
                 "5厘米隐形增高厚底，复古拼接配色很有街头感。",
                 "A 5 cm platform sole and retro colour blocking with plenty of street attitude."),
            Item("夏季透气凉鞋", "Breathable summer sandals", 199, ("sandals", "summer", "lightweight"),
                 "魔术贴快速调节，EVA鞋底轻软防滑。",
                 "Hook-and-loop straps adjust in seconds, and the EVA sole is light, soft and grippy."),
        ),
        sizes=SHOE_SIZES,
    ),
    Category(
        "bags", "箱包", "Bags",
        ("包", "包包", "手提包", "双肩包", "背包", "斜挎包", "钱包", "bag", "bags", "handbag", "backpack", "tote", "purse", "crossbody", "wallet"),
        ("Carryall", "行囊", "Atelier Nord"), ("color",), ("black", "beige", "white", "grey", "blue", "red", "pink", "green"),
        (
            ("五金件做过防氧化处理，不易掉色。", "The hardware is treated against tarnish and will not discolour."),
            ("附赠可拆卸肩带与防尘袋。", "Includes a detachable strap and a dust bag."),
            ("皮质请避免沾水，可用皮革护理剂保养。", "Keep the leather dry and care for it with leather conditioner."),
        ),
        (
            Item("通勤大容量托特包", "Large commuter tote bag", 329, ("tote", "work", "large"),
                 "可放下14寸笔记本电脑，内置拉链隔层收纳有序。",
                 "Fits a 14-inch laptop, with a zipped inner pocket to keep small things in order."),
            Item("迷你链条斜挎包", "Mini chain crossbody bag", 259, ("crossbody", "mini", "chain"),
                 "金属链条肩带可斜挎可手拿，装下手机和口红刚刚好。",
                 "Wear the metal chain cross-body or carry it as a clutch; just right for a phone and lipstick."),
            Item("防泼水电脑双肩包", "Water-repellent laptop backpack", 299, ("backpack", "laptop", "travel"),
                 "防泼水面料配减压肩带，16寸电脑仓带防震棉。",
                 "Water-repellent fabric, cushioned straps and a padded sleeve for laptops up to 16 inches.",
                 fixed={"color": ("black", "grey", "blue")}),
            Item("复古牛皮马鞍包", "Vintage leather saddle bag", 599, ("leather", "vintage", "saddle"),
                 "植鞣牛皮越用越有光泽，半月形轮廓优雅耐看。",
                 "Vegetable-tanned leather that gains a patina with use, in a timeless half-moon shape."),
            Item("加厚帆布购物袋", "Heavy canvas shopping tote", 89, ("canvas", "eco", "tote"),
                 "加厚帆布能装能扛，可折叠收纳，替代塑料袋。",
                 "Thick canvas that carries a full shop and folds away; goodbye plastic bags.",
                 keys=("color", "material"), fixed={"material": ("canvas", "recycled canvas")}),
            Item("真皮短款钱包", "Leather bifold wallet", 199, ("wallet", "leather", "gift"),
                 "八个卡位加零钱袋，轻薄不鼓包，适合作为礼物。",
                 "Eight card slots and a coin pocket in a slim shape; a thoughtful gift."),
            Item("运动健身腰包", "Sports belt bag", 99, ("belt bag", "running", "sport"),
                 "贴身腰包可装手机钥匙，跑步时不晃动。",
                 "Holds your phone and keys close to the body without bouncing while you run."),
            Item("折叠旅行收纳包", "Foldable travel duffel", 169, ("travel", "foldable", "duffel"),
                 "展开容量35升，可套在拉杆箱上，收起只有手掌大。",
                 "Opens to 35 litres, slides over a suitcase handle and folds down to palm size."),
        ),
    ),
    Category(
        "phone-accessories", "手机配件", "Phone accessories",
        ("手机壳", "手机套", "保护壳", "手机配件", "充电器", "数据线", "钢化膜", "充电宝",
         "phone case", "phone cover", "case", "charger", "charging cable", "screen protector", "power bank", "phone accessories"),
        ("VoltUp", "壳艺", "Shieldly"), ("color", "model"), ("black", "white", "blue", "pink", "green", "purple"),
        (
            ("兼容无线充电，无需取下即可充电。", "Wireless-charging compatible; no need to take it off."),
            ("通过3C认证，过充过热多重保护。", "CCC certified with protection against overcharging and overheating."),
            ("下单前请确认手机型号。", "Please check your phone model before ordering."),
        ),
        (
            Item("磨砂透明防摔手机壳", "Frosted clear shockproof phone case", 49, ("case", "shockproof", "clear"),
                 "四角气囊防摔，磨砂背板不沾指纹，久用不发黄。",
                 "Air-cushioned corners absorb drops, and the frosted back resists fingerprints and yellowing.",
                 fixed={"model": PHONE_MODELS}),
            Item("液态硅胶手机壳", "Liquid silicone phone case", 69, ("case", "silicone", "soft"),
                 "亲肤液态硅胶手感细腻，内衬超细纤维保护机身。",
                 "Silky liquid silicone outside and a microfibre lining inside to protect your phone.",
                 fixed={"model": PHONE_MODELS}),
            Item("真皮磁吸手机套", "Leather magnetic phone cover", 199, ("case", "leather", "magnetic"),
                 "内置磁吸圈兼容磁吸配件，真皮表面自然养出光泽。",
                 "A built-in magnetic ring works with magnetic accessories, and the leather ages handsomely.",
                 fixed={"model": PHONE_MODELS[:3]}),
            Item("氮化镓65W快充充电器", "65W GaN fast charger", 149, ("charger", "fast charging", "gan"),
                 "双口同时快充，笔记本和手机一个头搞定。",
                 "Two ports charge fast at once, so one plug covers your laptop and phone.",
                 keys=("color",), fixed={"color": ("white", "black")}),
            Item("编织快充数据线", "Braided fast-charging cable", 39, ("cable", "usb-c", "braided"),
                 "尼龙编织线身耐弯折，支持60W快充与数据传输。",
                 "A tough nylon braid that survives bending, rated for 60 W charging and data.",
                 keys=("color", "length"), fixed={"color": ("black", "white"), "length": ("1m", "2m")}),
            Item("高清钢化膜两片装", "HD tempered glass screen protector (2-pack)", 29, ("screen protector", "glass", "2-pack"),
                 "9H硬度防刮，附贴膜神器，一贴就正。",
                 "9H scratch-resistant glass with an alignment frame for a perfect first try.",
                 keys=("model",), fixed={"model": PHONE_MODELS}),
            Item("磁吸无线充电宝", "Magnetic wireless power bank", 199, ("power bank", "wireless", "magnetic"),
                 "吸上即充，轻薄机身放口袋也不累赘。",
                 "Snap it on and it charges; slim enough to carry in a pocket.",
                 keys=("color", "capacity"), fixed={"capacity": ("5000mAh", "10000mAh")}),
            Item("桌面折叠手机支架", "Foldable desk phone stand", 45, ("stand", "desk", "foldable"),
                 "铝合金材质稳固不晃，角度高度都可调节。",
                 "Sturdy aluminium that does not wobble, with adjustable angle and height.",
                 keys=("color",), fixed={"color": ("black", "white", "grey")}),
        ),
    ),
    Category(
        "skincare", "护肤", "Skincare",
        ("护肤品", "护肤", "面霜", "精华", "精华液", "面膜", "洗面奶", "防晒", "爽肤水",
         "skincare", "skin care", "moisturizer", "moisturiser", "serum", "face mask", "sunscreen", "cleanser", "toner"),
        ("Dewlab", "水漾肌", "Pure Botanica"), ("capacity",), (),
        (
            ("已通过皮肤测试，敏感肌可用。", "Dermatologist tested and suitable for sensitive skin."),
            ("开封后建议12个月内用完。", "Best used within 12 months of opening."),
            ("首次使用请先在耳后试用。", "Patch test behind the ear before first use."),
        ),
        (
            Item("玻尿酸保湿精华液", "Hyaluronic acid hydrating serum", 159, ("serum", "hydrating", "hyaluronic acid"),
                 "多分子量玻尿酸层层补水，质地清爽不黏腻。",
                 "Multi-weight hyaluronic acid hydrates layer by layer in a light, non-sticky texture.",
                 fixed={"capacity": ("30ml", "50ml")}),
            Item("氨基酸温和洁面乳", "Gentle amino-acid cleanser", 79, ("cleanser", "gentle", "amino acid"),
                 "弱酸性配方洗后不紧绷，早晚都能用。",
                 "A pH-balanced formula that never leaves skin tight; use it morning and night.",
                 fixed={"capacity": ("100ml", "150ml")}),
            Item("清透防晒乳SPF50+", "Lightweight sunscreen SPF50+", 129, ("sunscreen", "spf50", "summer"),
                 "高倍防护不泛白，清爽水感适合通勤和户外。",
                 "High protection with no white cast, in a watery finish for commutes and outdoor days.",
                 fixed={"capacity": ("30ml", "50ml")}),
            Item("积雪草修护面膜", "Centella repair sheet masks", 99, ("face mask", "soothing", "centella"),
                 "积雪草精华舒缓泛红，晒后或熬夜后急救。",
                 "Centella extract calms redness; an SOS after sun or a late night.",
                 keys=("pack",), fixed={"pack": ("5 pcs", "10 pcs")}),
            Item("烟酰胺焕亮面霜", "Niacinamide brightening cream", 189, ("moisturizer", "brightening", "niacinamide"),
                 "5%烟酰胺淡化暗沉，乳霜质地滋润不厚重。",
                 "5% niacinamide fades dullness in a cream that nourishes without feeling heavy.",
                 fixed={"capacity": ("50ml", "80ml")}),
            Item("神经酰胺舒缓保湿水", "Ceramide soothing toner", 119, ("toner", "ceramide", "barrier"),
                 "神经酰胺修护屏障，换季干燥期的好帮手。",
                 "Ceramides repair the skin barrier, perfect for dry spells between seasons.",
                 fixed={"capacity": ("150ml", "250ml")}),
            Item("视黄醇抗皱眼霜", "Retinol eye cream", 219, ("eye cream", "retinol", "anti-ageing"),
                 "微囊包裹视黄醇温和淡纹，建议夜间使用。",
                 "Encapsulated retinol gently softens fine lines; use at night.",
                 fixed={"capacity": ("15ml", "30ml")}),
            Item("滋润护手霜礼盒", "Nourishing hand cream gift set", 89, ("hand cream", "gift", "nourishing"),
                 "乳木果油快速吸收，三支装送礼自用都合适。",
                 "Shea butter that sinks in fast; a set of three to give or keep.",
                 keys=("scent",), fixed={"scent": ("rose", "jasmine", "osmanthus")}),
        ),
        consumable=True,
    ),
    Category(
        "snacks-tea", "零食茶饮", "Snacks & Tea",
        ("零食", "小吃", "茶叶", "茶", "绿茶", "坚果", "牛肉干", "snacks", "snack", "tea", "green tea", "nuts", "food"),
        ("山野记", "Leaf & Hearth", "茶语"), ("weight",), (),
        (
            ("请存放于阴凉干燥处，开封后尽快食用。", "Store in a cool, dry place and enjoy soon after opening."),
            ("独立小包装，方便携带和分享。", "Individually packed, easy to carry and share."),
            ("保质期见包装，发货时剩余不少于三分之二。", "Best-before date on the pack; at least two thirds of shelf life remains when shipped."),
        ),
        (
            Item("明前西湖龙井", "Pre-Qingming West Lake Longjing green tea", 268, ("green tea", "longjing", "gift"),
                 "清明前手工采摘，扁平挺直，豆香清幽。",
                 "Hand-picked before Qingming; flat, straight leaves with a delicate chestnut aroma.",
                 fixed={"weight": ("50g", "100g", "250g")}),
            Item("云南古树普洱茶饼", "Yunnan ancient-tree pu'er tea cake", 328, ("pu'er", "tea", "aged"),
                 "百年古树原料，口感醇厚回甘，越存越香。",
                 "Leaves from century-old trees give a rich, sweet finish that deepens with age.",
                 fixed={"weight": ("200g", "357g")}),
            Item("每日坚果混合装", "Daily mixed nuts", 89, ("nuts", "healthy", "daily"),
                 "六种坚果果干科学配比，每天一小包补充能量。",
                 "Six nuts and dried fruits in a balanced mix; one small pack a day keeps you going.",
                 fixed={"weight": ("175g", "350g")}),
            Item("安溪铁观音乌龙茶", "Anxi Tieguanyin oolong tea", 158, ("oolong", "tea", "fragrant"),
                 "清香型铁观音，兰花香明显，可冲泡七次以上。",
                 "A light-roast Tieguanyin with a clear orchid note that lasts seven infusions or more.",
                 fixed={"weight": ("100g", "250g")}),
            Item("手工芝麻花生酥", "Handmade sesame peanut brittle", 39, ("snack", "traditional", "sweet"),
                 "老师傅手工熬糖，香脆不粘牙。",
                 "Cooked by hand the traditional way: crunchy, fragrant and never sticky.",
                 keys=("flavor", "weight"), fixed={"flavor": ("original", "brown sugar"), "weight": ("200g", "400g")}),
            Item("冻干草莓脆", "Freeze-dried strawberry crisps", 45, ("fruit", "freeze-dried", "kids"),
                 "整颗草莓低温冻干，无添加蔗糖，酸甜酥脆。",
                 "Whole strawberries freeze-dried with no added sugar: tangy, sweet and crisp.",
                 fixed={"weight": ("50g", "100g")}),
            Item("武夷山大红袍岩茶", "Wuyi Da Hong Pao rock tea", 298, ("oolong", "rock tea", "roasted"),
                 "传统炭焙工艺，岩韵明显，适合喜欢浓香的茶友。",
                 "Traditionally charcoal-roasted with a pronounced mineral character for lovers of bold tea.",
                 fixed={"weight": ("125g", "250g")}),
            Item("川味麻辣牛肉干", "Sichuan spicy beef jerky", 69, ("jerky", "spicy", "snack"),
                 "精选牛后腿肉，花椒辣椒现炒调味，越嚼越香。",
                 "Lean beef seasoned with freshly toasted Sichuan pepper and chilli; the flavour builds as you chew.",
                 keys=("flavor",), fixed={"flavor": ("spicy", "extra spicy", "five-spice")}),
        ),
        consumable=True,
    ),
    Category(
        "home-kitchen", "家居厨房", "Home & Kitchen",
        ("家居", "厨房", "厨具", "锅", "杯子", "保温杯", "收纳", "床品", "home", "kitchen", "cookware", "mug", "cup", "storage", "bedding", "homeware"),
        ("Hearthly", "栖居", "Oak & Clay"), ("color",), ("white", "grey", "beige", "green", "blue", "pink", "black", "yellow"),
        (
            ("包装经过防震处理，易碎品破损包赔。", "Shock-proof packaging; breakages in transit are replaced free."),
            ("食品级材质，通过国家安全检测。", "Food-grade materials that pass national safety testing."),
            ("简约设计，适配大多数家居风格。", "A simple design that suits most homes."),
        ),
        (
            Item("陶瓷不粘炒锅", "Ceramic non-stick wok", 259, ("wok", "non-stick", "cookware"),
                 "陶瓷涂层少油不粘，燃气灶电磁炉通用。",
                 "A ceramic coating that needs little oil, for gas and induction hobs alike.",
                 keys=("size",), fixed={"size": ("28cm", "32cm")}),
            Item("316不锈钢保温杯", "316 stainless steel vacuum flask", 129, ("flask", "insulated", "travel"),
                 "12小时保温保冷，一键弹盖单手就能喝。",
                 "Keeps drinks hot or cold for 12 hours, with a one-touch lid you can open one-handed.",
                 keys=("color", "capacity"), fixed={"capacity": ("350ml", "500ml")}),
            Item("北欧手工陶瓷马克杯", "Nordic handmade ceramic mug", 59, ("mug", "ceramic", "handmade"),
                 "手工拉坯上釉，每只纹理都略有不同。",
                 "Hand-thrown and glazed, so every mug is slightly different."),
            Item("全棉四件套床品", "Cotton bedding set (4 pcs)", 399, ("bedding", "cotton", "bedroom"),
                 "60支长绒棉贡缎，亲肤柔滑，越洗越软。",
                 "60s long-staple cotton sateen, silky on skin and softer with every wash.",
                 keys=("color", "size"), fixed={"size": ("1.5m", "1.8m")}),
            Item("手冲咖啡电热水壶", "Gooseneck electric kettle", 299, ("kettle", "coffee", "pour-over"),
                 "细长鹅颈精准控流，可设定40到100度恒温。",
                 "A slim gooseneck for precise pouring and holds any temperature from 40 to 100 °C.",
                 fixed={"color": ("black", "white")}),
            Item("竹制抽屉收纳盒", "Bamboo drawer organiser", 69, ("storage", "bamboo", "organiser"),
                 "天然楠竹可自由组合，厨房餐具和桌面杂物都能收。",
                 "Natural moso bamboo modules that tidy cutlery and desk clutter alike.",
                 keys=("size",), fixed={"size": ("small", "large")}),
            Item("香薰蜡烛礼盒", "Scented candle gift box", 139, ("candle", "gift", "fragrance"),
                 "大豆蜡配棉芯，燃烧约45小时，无黑烟。",
                 "Soy wax with a cotton wick that burns cleanly for about 45 hours.",
                 keys=("scent",), fixed={"scent": ("sandalwood", "white tea", "fig", "rose")}),
            Item("珊瑚绒加厚浴巾", "Plush coral fleece bath towel", 79, ("towel", "bathroom", "soft"),
                 "加厚珊瑚绒吸水快，不掉毛不板结。",
                 "Thick coral fleece that dries you fast and never sheds or goes stiff."),
        ),
    ),
    Category(
        "electronics", "数码耳机", "Electronics & Headphones",
        ("耳机", "蓝牙耳机", "无线耳机", "降噪耳机", "数码", "音箱", "智能手表", "键盘", "鼠标",
         "headphones", "earbuds", "earphones", "electronics", "speaker", "smartwatch", "keyboard", "mouse"),
        ("Sonique", "声趣", "Pixelwave"), ("color",), ("black", "white", "blue", "grey", "green", "pink"),
        (
            ("全国联保一年，支持七天无理由退货。", "One-year nationwide warranty and 7-day no-reason returns."),
            ("蓝牙5.3连接稳定，支持双设备切换。", "Bluetooth 5.3 keeps a stable link and switches between two devices."),
            ("附赠USB-C充电线和快速上手指南。", "Includes a USB-C cable and a quick-start guide."),
        ),
        (
            Item("主动降噪真无线耳机", "Active noise-cancelling true wireless earbuds", 599, ("earbuds", "anc", "wireless"),
                 "-45dB深度降噪，单次续航8小时，配合充电盒可达32小时。",
                 "Up to 45 dB of noise cancelling and 8 hours per charge, 32 hours with the case."),
            Item("头戴式无线降噪耳机", "Over-ear wireless ANC headphones", 1099, ("headphones", "anc", "over-ear"),
                 "蛋白皮耳罩久戴不压耳，40小时超长续航。",
                 "Protein-leather cushions stay comfortable for hours, with 40 hours of battery life.",
                 fixed={"color": ("black", "white", "blue")}),
            Item("运动挂耳式蓝牙耳机", "Sports ear-hook Bluetooth earphones", 249, ("earphones", "sport", "sweatproof"),
                 "IPX5防汗防水，挂耳设计跑跳不掉。",
                 "IPX5 sweat resistance and ear hooks that stay put while you run and jump."),
            Item("便携防水蓝牙音箱", "Portable waterproof Bluetooth speaker", 329, ("speaker", "waterproof", "outdoor"),
                 "IP67防水防尘，低音浑厚，露营泳池边都能用。",
                 "IP67 waterproof and dustproof with punchy bass for camping trips or the pool."),
            Item("智能运动手表", "Smart fitness watch", 899, ("smartwatch", "fitness", "gps"),
                 "内置GPS与心率血氧监测，支持100多种运动模式。",
                 "Built-in GPS, heart-rate and SpO2 tracking, and more than 100 sport modes.",
                 keys=("color", "size"), fixed={"color": ("black", "white", "pink"), "size": ("41mm", "45mm")}),
            Item("无线机械键盘", "Wireless mechanical keyboard", 459, ("keyboard", "mechanical", "wireless"),
                 "三模连接热插拔，PBT键帽久用不打油。",
                 "Tri-mode connectivity, hot-swappable switches and PBT keycaps that never go shiny.",
                 keys=("color", "switch"), fixed={"color": ("white", "grey"), "switch": ("tactile", "linear")}),
            Item("无线静音鼠标", "Silent wireless mouse", 99, ("mouse", "silent", "wireless"),
                 "静音微动点击几乎无声，图书馆办公室都适用。",
                 "Near-silent clicks, so it is welcome in the library and the office."),
            Item("开放式骨传导耳机", "Open-ear bone conduction headphones", 699, ("headphones", "bone conduction", "running"),
                 "不入耳更安全，跑步骑行时也能听到路况。",
                 "Nothing in your ears, so you still hear the traffic when you run or ride."),
        ),
    ),
    Category(
        "sportswear", "运动服饰", "Sportswear",
        ("运动服", "运动装", "健身服", "瑜伽服", "瑜伽裤", "运动裤", "运动内衣",
         "sportswear", "activewear", "gym wear", "yoga", "leggings", "tracksuit", "sports bra"),
        ("Kinetic", "动岚", "Trailform"), ("color", "size"), ("black", "grey", "blue", "pink", "purple", "green", "white"),
        (
            ("吸湿排汗面料，运动后不黏身。", "Sweat-wicking fabric that never clings after a workout."),
            ("四面弹力，深蹲拉伸都自如。", "Four-way stretch for squats and stretches alike."),
            ("反光细节提升夜跑安全。", "Reflective details keep you visible on night runs."),
        ),
        (
            Item("高腰裸感瑜伽裤", "High-rise barely-there yoga leggings", 169, ("leggings", "yoga", "high-rise"),
                 "裸感面料几乎感觉不到束缚，高腰收腹不卷边。",
                 "Feather-light fabric you barely notice, with a high waistband that never rolls down."),
            Item("速干运动背心", "Quick-dry training tank", 79, ("tank", "quick-dry", "training"),
                 "网眼透气拼接，高强度训练也保持干爽。",
                 "Breathable mesh panels keep you dry through hard training sessions."),
            Item("防风连帽跑步外套", "Windproof hooded running jacket", 299, ("jacket", "windproof", "running"),
                 "轻薄防风防泼水，收纳后可塞进口袋。",
                 "Light, windproof and showerproof, and it packs down into its own pocket."),
            Item("高强度防震运动内衣", "High-support sports bra", 149, ("sports bra", "high support", "gym"),
                 "交叉美背设计加宽底围，跑跳时稳稳包裹。",
                 "A crossover back and wide underband keep everything secure while you run and jump.",
                 fixed={"color": ("black", "pink", "purple")}),
            Item("加绒运动套装", "Fleece-lined tracksuit", 329, ("tracksuit", "fleece", "winter"),
                 "内里加绒保暖，外套加长裤一套搞定冬季晨练。",
                 "Warm fleece lining in a jacket-and-trousers set for winter morning workouts."),
            Item("冰感骑行短裤", "Cool-touch cycling shorts", 129, ("cycling", "shorts", "padded"),
                 "立体坐垫减轻久骑压力，冰感面料夏天更凉快。",
                 "A shaped chamois eases long rides, and the cool-touch fabric beats the summer heat."),
            Item("轻薄防晒皮肤衣", "Lightweight UPF sun-protection jacket", 189, ("sun protection", "upf50", "outdoor"),
                 "UPF50+防晒指数，冰丝面料透气不闷。",
                 "UPF 50+ protection in a breathable cool-touch fabric that never feels stuffy.",
                 fixed={"color": ("white", "blue", "pink", "green")}),
            Item("网眼篮球运动短裤", "Mesh basketball shorts", 99, ("basketball", "shorts", "mesh"),
                 "双层网眼透气，侧边口袋可放手机。",
                 "Double-layer mesh for airflow, with side pockets that hold your phone."),
        ),
    ),
    Category(
        "kids", "童装", "Kids",
        ("童装", "儿童", "儿童衣服", "小孩衣服", "宝宝", "宝宝衣服", "婴儿", "kids", "children", "kids clothes", "child", "baby", "toddler"),
        ("Little Sprout", "小芽芽", "Puddle Jump"), ("color", "size"), ("blue", "pink", "yellow", "green", "white", "red", "purple", "grey"),
        (
            ("A类婴幼儿标准面料，无荧光剂。", "Class A fabric for babies and toddlers, free of optical brighteners."),
            ("尺码按身高选择，例如110对应身高105-115厘米。", "Sizes are by height; 110 fits children 105-115 cm tall."),
            ("纽扣经过拉力测试，安全牢固。", "Buttons are pull-tested to stay firmly attached."),
        ),
        (
            Item("纯棉儿童卡通T恤", "Kids' cotton cartoon tee", 49, ("kids", "cotton", "cartoon"),
                 "可爱恐龙印花，纯棉透气，孩子穿着玩一整天。",
                 "A cheerful dinosaur print on breathable cotton that lasts a whole day of play."),
            Item("女童公主纱裙", "Girls' tulle princess dress", 159, ("girls", "tulle", "party"),
                 "多层网纱蓬蓬裙摆，里衬纯棉不扎皮肤。",
                 "Layers of fluffy tulle over a cotton lining that never scratches.",
                 fixed={"color": ("pink", "purple", "white")}),
            Item("男童工装背带裤", "Boys' utility dungarees", 139, ("boys", "dungarees", "denim"),
                 "肩带可调节，长高也能多穿一季。",
                 "Adjustable straps mean they still fit after a growth spurt."),
            Item("儿童摇粒绒外套", "Kids' polar fleece jacket", 119, ("fleece", "jacket", "autumn"),
                 "轻暖摇粒绒，防静电处理，春秋外穿冬季内搭。",
                 "Light, warm anti-static fleece: outerwear in spring and autumn, a mid-layer in winter."),
            Item("宝宝纯棉连体哈衣", "Baby cotton romper", 89, ("baby", "romper", "organic cotton"),
                 "有机棉面料，裆部按扣换尿布很方便。",
                 "Organic cotton with snap fastenings for quick nappy changes.",
                 fixed={"size": ("59", "66", "73", "80")}),
            Item("儿童防滑运动鞋", "Kids' non-slip sneakers", 179, ("kids", "sneakers", "non-slip"),
                 "魔术贴设计自己就能穿，鞋底防滑耐磨。",
                 "Hook-and-loop straps let kids dress themselves, on a grippy, durable sole.",
                 fixed={"size": ("26", "28", "30", "32")}),
            Item("儿童轻薄羽绒服", "Kids' lightweight down jacket", 299, ("down", "winter", "jacket"),
                 "90%白鸭绒轻盈保暖，可收纳进随附袋中。",
                 "90% white duck down, light and warm, and it packs into the pouch provided."),
            Item("儿童防晒渔夫帽", "Kids' sun-protection bucket hat", 59, ("hat", "sun protection", "summer"),
                 "UPF50+防晒，下巴绳可拆，出游必备。",
                 "UPF 50+ with a removable chin strap; an outing essential.",
                 keys=("color",)),
        ),
        sizes=KIDS_SIZES,
    ),
)


# --------------------------------------------------------------------------------------------
# Customer tables
# --------------------------------------------------------------------------------------------
ZH_SURNAMES = (("王", "wang"), ("李", "li"), ("张", "zhang"), ("刘", "liu"), ("陈", "chen"), ("杨", "yang"),
               ("黄", "huang"), ("赵", "zhao"), ("周", "zhou"), ("吴", "wu"), ("徐", "xu"), ("孙", "sun"),
               ("林", "lin"), ("何", "he"), ("郭", "guo"), ("马", "ma"), ("罗", "luo"), ("高", "gao"))
ZH_GIVEN = (("芳", "fang"), ("伟", "wei"), ("静怡", "jingyi"), ("子轩", "zixuan"), ("雨桐", "yutong"),
            ("浩然", "haoran"), ("思琪", "siqi"), ("俊杰", "junjie"), ("欣怡", "xinyi"), ("梓涵", "zihan"),
            ("晓明", "xiaoming"), ("丽娜", "lina"), ("婷", "ting"), ("磊", "lei"), ("佳怡", "jiayi"),
            ("宇航", "yuhang"), ("诗涵", "shihan"), ("明轩", "mingxuan"), ("雪", "xue"), ("强", "qiang"))
EN_FIRST = ("Emma", "Liam", "Olivia", "Noah", "Sophie", "James", "Chloe", "Daniel", "Grace", "Lucas",
            "Hannah", "Ethan", "Mia", "Oliver", "Ava", "Jack", "Isla", "Ryan")
EN_LAST = ("Smith", "Johnson", "Brown", "Taylor", "Wilson", "Davies", "Evans", "Thompson", "Walker",
           "Clarke", "Hughes", "Wright", "Miller", "Tan", "Lee", "Wong")


class CnCity(NamedTuple):
    """A mainland city: names, postcode prefix and a few (zh, en) districts and streets."""

    zh: str
    en: str
    zip_prefix: str
    districts: tuple[tuple[str, str], ...]
    streets: tuple[tuple[str, str], ...]


CN_CITIES = (
    CnCity("上海", "Shanghai", "200", (("徐汇区", "Xuhui District"), ("浦东新区", "Pudong New Area"), ("静安区", "Jing'an District")),
           (("漕溪北路", "Caoxi North Road"), ("世纪大道", "Century Avenue"), ("南京西路", "West Nanjing Road"))),
    CnCity("北京", "Beijing", "100", (("朝阳区", "Chaoyang District"), ("海淀区", "Haidian District")),
           (("建国路", "Jianguo Road"), ("中关村大街", "Zhongguancun Street"), ("望京街", "Wangjing Street"))),
    CnCity("广州", "Guangzhou", "510", (("天河区", "Tianhe District"), ("越秀区", "Yuexiu District")),
           (("天河路", "Tianhe Road"), ("环市东路", "East Huanshi Road"))),
    CnCity("深圳", "Shenzhen", "518", (("南山区", "Nanshan District"), ("福田区", "Futian District")),
           (("科技园路", "Science Park Road"), ("深南大道", "Shennan Boulevard"))),
    CnCity("杭州", "Hangzhou", "310", (("西湖区", "Xihu District"), ("滨江区", "Binjiang District")),
           (("文三路", "Wensan Road"), ("江南大道", "Jiangnan Avenue"))),
    CnCity("成都", "Chengdu", "610", (("锦江区", "Jinjiang District"), ("武侯区", "Wuhou District")),
           (("春熙路", "Chunxi Road"), ("人民南路", "South Renmin Road"))),
    CnCity("南京", "Nanjing", "210", (("鼓楼区", "Gulou District"), ("玄武区", "Xuanwu District")),
           (("中山路", "Zhongshan Road"), ("北京东路", "East Beijing Road"))),
    CnCity("武汉", "Wuhan", "430", (("武昌区", "Wuchang District"), ("江汉区", "Jianghan District")),
           (("中南路", "Zhongnan Road"), ("解放大道", "Jiefang Avenue"))),
)


class AbroadCity(NamedTuple):
    """A city outside the mainland for English-speaking customers."""

    country: str
    city: str
    timezone: str
    zip_pattern: str  # "#" is a random digit
    phone_pattern: str
    streets: tuple[str, ...]


ABROAD_CITIES = (
    AbroadCity("HK", "Hong Kong", "Asia/Hong_Kong", "999077", "+852 9### ####", ("Queen's Road Central", "Nathan Road")),
    AbroadCity("SG", "Singapore", "Asia/Singapore", "23####", "+65 8### ####", ("Orchard Road", "Bukit Timah Road")),
    AbroadCity("US", "San Francisco", "America/Los_Angeles", "941##", "+1 415 555 0###", ("Market Street", "Valencia Street")),
    AbroadCity("GB", "London", "Europe/London", "SW1A #AA", "+44 7700 900###", ("Baker Street", "King's Road")),
    AbroadCity("AU", "Sydney", "Australia/Sydney", "2000", "+61 412 ### ###", ("George Street", "Pitt Street")),
)

CN_CARRIERS = (("SF Express", "SF", 12), ("JD Logistics", "JDV", 12))
INTL_CARRIER = ("UPS", "1Z", 16)

# Days before REFERENCE an order in each status was placed (low, high).
STATUS_AGE_DAYS = {
    "pending": (0.05, 1.5), "processed": (0.5, 3.0), "shipped": (3.0, 8.0), "delivered": (10.0, 180.0),
    "cancelled": (2.0, 170.0), "return_requested": (10.0, 26.0), "exchange_requested": (10.0, 26.0),
    "refunded": (25.0, 170.0),
}
# Statuses beyond the guaranteed minimum are drawn with these weights.
STATUS_WEIGHTS = {
    "pending": 2, "processed": 2, "shipped": 3, "delivered": 14, "cancelled": 2,
    "return_requested": 1, "exchange_requested": 1, "refunded": 2,
}
MIN_PER_STATUS = 9
SHIPPED_STATUSES = frozenset({"shipped", "delivered", "return_requested", "exchange_requested", "refunded"})


# --------------------------------------------------------------------------------------------
# Small helpers
# --------------------------------------------------------------------------------------------
def iso(moment: datetime) -> str:
    """A UTC timestamp as the store writes it, e.g. ``2026-10-03T10:00:00+00:00``."""
    return moment.astimezone(UTC).replace(microsecond=0).isoformat(timespec="seconds")


def money(yuan: float) -> str:
    """A price string with two decimals, e.g. ``money(199) == "199.00"``."""
    return f"{yuan:.2f}"


def shop_price(yuan: float) -> int:
    """Round a raw price to a shop-style price ending in 9 (e.g. 236 -> 239)."""
    return max(9, int(yuan) // 10 * 10 + 9)


def fill_pattern(rng: random.Random, pattern: str) -> str:
    """Replace every ``#`` in ``pattern`` with a random digit."""
    return "".join(str(rng.randrange(10)) if ch == "#" else ch for ch in pattern)


def slug(value: str) -> str:
    """The SKU fragment for an option value: ``"iPhone 15"`` -> ``"IPHONE15"``."""
    return re.sub(r"[^A-Z0-9]", "", value.upper())


def days_before(days: float) -> datetime:
    """The moment ``days`` days before REFERENCE, truncated to the minute."""
    return (REFERENCE - timedelta(days=days)).replace(second=0, microsecond=0)


# --------------------------------------------------------------------------------------------
# Catalogue
# --------------------------------------------------------------------------------------------
def build_categories() -> list[dict[str, Any]]:
    """categories.json: id, bilingual names and the aliases shoppers use."""
    return [{"id": c.id, "name_zh": c.name_zh, "name_en": c.name_en, "aliases": list(c.aliases)}
            for c in CATEGORIES]


def option_values(rng: random.Random, category: Category, item: Item) -> dict[str, tuple[str, ...]]:
    """The option values one product offers, drawing unpinned colours/sizes from the category pools.

    Pinned options are taken as given; colours are a random sample of the category palette and
    sizes a contiguous run of the category's sizes, sized so the product has 2-12 variants.
    """
    keys = item.keys or category.option_keys
    fixed = item.fixed or {}
    values: dict[str, tuple[str, ...]] = {k: fixed[k] for k in keys if k in fixed}
    combos = 1
    for vals in values.values():
        combos *= len(vals)
    if "color" in keys and "color" not in values:
        most = min(len(category.palette), max(1, MAX_VARIANTS // combos), 4)
        least = 1 if "size" in keys and "size" not in values else min(2, most)
        values["color"] = tuple(rng.sample(category.palette, rng.randint(least, most)))
        combos *= len(values["color"])
    if "size" in keys and "size" not in values:
        length = rng.randint(min(3, len(category.sizes)), min(len(category.sizes), max(2, MAX_VARIANTS // combos)))
        start = rng.randint(0, len(category.sizes) - length)
        values["size"] = category.sizes[start:start + length]
    return {k: values[k] for k in keys}


def variant_rows(rng: random.Random, product_id: str, base_price: int,
                 values: dict[str, tuple[str, ...]], priced: frozenset[str]) -> list[dict[str, Any]]:
    """Every combination of the option values as a variant with price and stock.

    Options named in ``priced`` raise the price by PRICE_STEPS of the base per step along their
    values (a 100ml bottle costs more than a 50ml one).
    """
    combos: list[dict[str, str]] = [{}]
    for key, vals in values.items():
        combos = [{**combo, key: v} for combo in combos for v in vals]
    rows = []
    for options in combos:
        factor = 1 + sum(PRICE_STEPS.get(k, 0.5) * values[k].index(options[k]) for k in priced)
        price = shop_price(base_price * factor) if factor != 1 else base_price
        variant_id = "-".join([product_id, *(slug(options[k]) for k in values)])
        stock = 0 if rng.random() < OUT_OF_STOCK_RATE else rng.randint(1, 80)
        rows.append({"id": variant_id, "sku": variant_id, "options": options, "price": money(price),
                     "currency": CURRENCY, "stock": stock})
    return rows


def build_product(rng: random.Random, product_id: str, category: Category, item: Item) -> dict[str, Any]:
    """One products.json entry from its template."""
    closing_zh, closing_en = rng.choice(category.closings)
    values = option_values(rng, category, item)
    # Clothing sizes cost the same; a 32cm wok or a 45mm watch costs more than the smaller one.
    neutral = PRICE_NEUTRAL_OPTIONS if "size" in category.option_keys else PRICE_NEUTRAL_OPTIONS - {"size"}
    priced = frozenset(k for k in (item.fixed or {}) if k in values and k not in neutral)
    return {
        "id": product_id,
        "category": category.id,
        "title_zh": item.zh,
        "title_en": item.en,
        "description_zh": item.note_zh + closing_zh,
        "description_en": f"{item.note_en} {closing_en}",
        "tags": list(item.tags),
        "brand": rng.choice(category.brands),
        "image_url": f"https://picsum.photos/seed/{product_id}/400/400",
        "consumable": category.consumable,
        "variants": variant_rows(rng, product_id, item.price, values, priced),
    }


def build_products(rng: random.Random) -> list[dict[str, Any]]:
    """products.json: every template of every category, numbered from P1001."""
    products = []
    for category in CATEGORIES:
        for item in category.items:
            products.append(build_product(rng, f"P{1001 + len(products)}", category, item))
    return products


# --------------------------------------------------------------------------------------------
# Customers and their hidden preferences
# --------------------------------------------------------------------------------------------
@dataclass
class Profile:
    """A customer's hidden taste: favourite categories and a few liked products in them."""

    favourites: list[str]
    liked: list[str]
    by_category: dict[str, list[str]] = field(repr=False)
    noise: float = 0.15
    purchases: int = 0
    strays: int = 0

    def pick_product(self, rng: random.Random, exclude: set[str] | frozenset[str] = frozenset(),
                     stray_ok: bool = True) -> str:
        """A product this customer would plausibly look at or buy, outside ``exclude``.

        With probability ``noise`` (when ``stray_ok``) any category; otherwise a favourite,
        preferring the liked products.
        """
        everything = [p for ids in self.by_category.values() for p in ids]
        favoured = [p for cat in self.favourites for p in self.by_category[cat]]
        if stray_ok and rng.random() < self.noise:
            pools = (everything,)
        else:
            pools = (self.liked if rng.random() < 0.5 else favoured, favoured, everything)
        for pool in pools:
            candidates = [p for p in pool if p not in exclude]
            if candidates:
                return rng.choice(candidates)
        raise ValueError("every product is excluded")

    def pick_purchase(self, rng: random.Random, exclude: set[str]) -> str:
        """A product to buy; at most MAX_STRAY_SHARE of all purchases fall outside the favourites."""
        stray_ok = self.strays + 1 <= MAX_STRAY_SHARE * (self.purchases + 1)
        product_id = self.pick_product(rng, exclude, stray_ok)
        self.purchases += 1
        self.strays += not any(product_id in self.by_category[cat] for cat in self.favourites)
        return product_id


def build_profile(rng: random.Random, by_category: dict[str, list[str]]) -> Profile:
    """Draw one or two favourite categories and three liked products in each."""
    favourites = rng.sample(sorted(by_category), rng.choice((1, 2, 2)))
    liked = [p for cat in favourites for p in rng.sample(by_category[cat], 3)]
    return Profile(favourites, liked, by_category)


def person_name(rng: random.Random, language: str, taken: set[str]) -> tuple[str, str]:
    """A fresh (display name, e-mail local part) for a zh or en customer."""
    while True:
        if language == "zh":
            (sur, sur_py), (given, given_py) = rng.choice(ZH_SURNAMES), rng.choice(ZH_GIVEN)
            name, local = sur + given, f"{given_py}.{sur_py}"
        else:
            first, last = rng.choice(EN_FIRST), rng.choice(EN_LAST)
            name, local = f"{first} {last}", f"{first}.{last}".lower()
        if name not in taken:
            taken.add(name)
            return name, local


def cn_address(rng: random.Random, language: str) -> tuple[dict[str, str], str]:
    """A mainland address written in the customer's language, and a mobile number."""
    city = rng.choice(CN_CITIES)
    (district_zh, district_en), (street_zh, street_en) = rng.choice(city.districts), rng.choice(city.streets)
    number, building, room = rng.randint(1, 999), rng.randint(1, 12), rng.randint(1, 32) * 100 + rng.randint(1, 6)
    if language == "zh":
        line1, city_name = f"{district_zh}{street_zh}{number}号{building}栋{room}室", city.zh
    else:
        line1, city_name = f"Room {room}, Building {building}, {number} {street_en}, {district_en}", city.en
    zip_code = city.zip_prefix + fill_pattern(rng, "0#1")
    phone = fill_pattern(rng, rng.choice(("+86 138 #### ####", "+86 139 #### ####", "+86 186 #### ####")))
    return {"line1": line1, "city": city_name, "country": "CN", "zip": zip_code}, phone


def abroad_address(rng: random.Random) -> tuple[dict[str, str], str, str]:
    """An address outside the mainland, a phone number and the timezone."""
    city = rng.choice(ABROAD_CITIES)
    line1 = f"{rng.randint(1, 400)} {rng.choice(city.streets)}"
    address = {"line1": line1, "city": city.city, "country": city.country, "zip": fill_pattern(rng, city.zip_pattern)}
    return address, fill_pattern(rng, city.phone_pattern), city.timezone


def birthday(rng: random.Random) -> str:
    """A birthday between 1965 and 2006."""
    return f"{rng.randint(1965, 2006)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"


def consent(rng: random.Random) -> tuple[bool, str | None, str | None]:
    """(marketing_consent, consent_at, consent_source); about 60% opted in, at signup or checkout."""
    if rng.random() >= 0.6:
        return False, None, None
    return True, iso(days_before(rng.uniform(30, 700))), rng.choice(("signup", "checkout"))


def identities(rng: random.Random, index: int) -> list[dict[str, str]]:
    """Channel identities: some customers use Telegram, some the web chat, some both or none."""
    found = []
    roll = rng.random()
    if roll < 0.45:
        found.append({"channel": "telegram", "user_id": str(10001 + index)})
    if 0.35 < roll < 0.65:
        found.append({"channel": "web", "user_id": f"web-{rng.getrandbits(32):08x}"})
    return found


def build_customer(rng: random.Random, index: int, language: str, taken: set[str]) -> dict[str, Any]:
    """One customers.json entry without events (those follow the orders)."""
    name, local = person_name(rng, language, taken)
    if language == "zh" or rng.random() < 0.4:
        address, phone = cn_address(rng, language)
        tz = "Asia/Shanghai"
    else:
        address, phone, tz = abroad_address(rng)
    consented, consent_at, source = consent(rng)
    return {
        "id": f"C{index + 1:03d}",
        "name": name,
        "email": f"{local}{rng.randint(1, 99)}@example.com",
        "phone": phone,
        "zip": address["zip"],
        "address": address,
        "language": language,
        "timezone": tz,
        "birthday": birthday(rng),
        "marketing_consent": consented,
        "consent_at": consent_at,
        "consent_source": source,
        "identities": identities(rng, index),
        "events": [],
    }


# --------------------------------------------------------------------------------------------
# Orders
# --------------------------------------------------------------------------------------------
def status_plan(rng: random.Random, total: int) -> list[str]:
    """``total`` statuses in random order: MIN_PER_STATUS of each, the rest by STATUS_WEIGHTS."""
    plan = [s for s in ORDER_STATUSES for _ in range(MIN_PER_STATUS)]
    names, weights = list(STATUS_WEIGHTS), list(STATUS_WEIGHTS.values())
    plan += rng.choices(names, weights, k=total - len(plan))
    rng.shuffle(plan)
    return plan


def payment_methods(address: dict[str, str]) -> tuple[str, ...]:
    """The payment methods a customer at ``address`` would use."""
    if address["country"] == "CN":
        return ("alipay", "wechat_pay", "alipay", "wechat_pay", "credit_card")
    return ("credit_card", "paypal")


def tracking(rng: random.Random, address: dict[str, str]) -> tuple[str, str]:
    """(carrier, tracking number) for a parcel to ``address``."""
    carrier, prefix, digits = rng.choice(CN_CARRIERS) if address["country"] == "CN" else INTL_CARRIER
    alphabet = "0123456789" if prefix != "1Z" else "0123456789ABCDEFGHJKLMNPRSTUVWXYZ"
    return carrier, prefix + "".join(rng.choice(alphabet) for _ in range(digits))


def order_items(rng: random.Random, profile: Profile, products: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:
    """One to three distinct products the customer would buy, each as an order line."""
    count = rng.choices((1, 2, 3), (6, 3, 1))[0]
    chosen: set[str] = set()
    lines = []
    for _ in range(count):
        product = products[profile.pick_purchase(rng, chosen)]
        chosen.add(product["id"])
        variant = rng.choice(product["variants"])
        quantity = rng.choice((1, 1, 2, 3)) if product["consumable"] else rng.choice((1, 1, 1, 1, 2))
        lines.append({"product_id": product["id"], "variant_id": variant["id"], "name": product["title_en"],
                      "options": dict(variant["options"]), "quantity": quantity, "price": variant["price"]})
    return lines


def order_total(items: list[dict[str, Any]]) -> str:
    """The sum of the order lines, computed in cents."""
    cents = sum(round(float(i["price"]) * 100) * i["quantity"] for i in items)
    return money(cents / 100)


def delivery_fields(rng: random.Random, status: str, created: datetime,
                    address: dict[str, str]) -> dict[str, Any]:
    """carrier, tracking_number and expected_delivery as they stand for an order in ``status``."""
    carrier = number = expected = None
    if status not in ("pending", "cancelled"):
        transit = rng.randint(2, 4) if address["country"] == "CN" else rng.randint(6, 10)
        expected = (created + timedelta(days=transit)).date().isoformat()
    if status in SHIPPED_STATUSES:
        carrier, number = tracking(rng, address)
    return {"carrier": carrier, "tracking_number": number, "expected_delivery": expected}


def payments(rng: random.Random, status: str, created: datetime, total: str, method: str) -> list[dict[str, Any]]:
    """The payment, plus a full refund for cancelled and refunded orders."""
    paid_at = created + timedelta(minutes=rng.randint(1, 20))
    rows = [{"kind": "payment", "amount": total, "method": method, "at": iso(paid_at)}]
    if status == "cancelled":
        rows.append({"kind": "refund", "amount": total, "method": method,
                     "at": iso(paid_at + timedelta(hours=rng.randint(1, 30)))})
    elif status == "refunded":
        rows.append({"kind": "refund", "amount": total, "method": method,
                     "at": iso(paid_at + timedelta(days=rng.randint(8, 20)))})
    return rows


def build_order(rng: random.Random, order_id: str, customer: dict[str, Any], status: str,
                profile: Profile, products: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """One orders.json entry in ``status``, dated by how long orders in that status have existed."""
    created = days_before(rng.uniform(*STATUS_AGE_DAYS[status]))
    items = order_items(rng, profile, products)
    total = order_total(items)
    method = "gift_card" if rng.random() < 0.05 else rng.choice(payment_methods(customer["address"]))
    return {
        "id": order_id,
        "customer_id": customer["id"],
        "status": status,
        "created_at": iso(created),
        "address": dict(customer["address"]),
        **delivery_fields(rng, status, created, customer["address"]),
        "currency": CURRENCY,
        "items": items,
        "payments": payments(rng, status, created, total, method),
    }


def order_id(rng: random.Random, taken: set[str]) -> str:
    """A fresh ``#W`` plus seven digits order number."""
    while True:
        candidate = f"#W{rng.randint(1000000, 9999999)}"
        if candidate not in taken:
            taken.add(candidate)
            return candidate


# --------------------------------------------------------------------------------------------
# Browsing events
# --------------------------------------------------------------------------------------------
def browsing_events(rng: random.Random, profile: Profile, orders: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """10-40 view/cart events: views before most purchases, free browsing around the favourites,
    and for some customers an abandoned cart (carted lately, never bought)."""
    events: dict[tuple[str, str, str], dict[str, Any]] = {}

    def add(kind: str, product_id: str, at: datetime) -> None:
        if at < REFERENCE:
            events.setdefault((kind, product_id, iso(at)), {"kind": kind, "product_id": product_id, "at": iso(at)})

    bought = set()
    for order in orders:
        created = datetime.fromisoformat(order["created_at"])
        for item in order["items"]:
            bought.add(item["product_id"])
            if rng.random() < 0.7:
                add("view", item["product_id"], created - timedelta(minutes=rng.randint(5, 3 * 24 * 60)))
            if rng.random() < 0.3:
                add("cart", item["product_id"], created - timedelta(minutes=rng.randint(1, 30)))
    if rng.random() < 0.4:
        for _ in range(rng.randint(1, 2)):
            product_id = profile.pick_product(rng, bought)
            seen = days_before(rng.uniform(0.5, 10))
            add("view", product_id, seen)
            add("cart", product_id, seen + timedelta(minutes=rng.randint(1, 15)))
    target = rng.randint(max(10, len(events)), 40)
    while len(events) < target:
        add(rng.choices(("view", "cart"), (5, 1))[0], profile.pick_product(rng), days_before(rng.uniform(0.1, 120)))
    return sorted(events.values(), key=lambda e: (e["at"], e["kind"], e["product_id"]))[-40:]


# --------------------------------------------------------------------------------------------
# The whole shop
# --------------------------------------------------------------------------------------------
def build_people(rng: random.Random, products: list[dict[str, Any]], count: int = 48
                 ) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """customers.json and orders.json: customers, their orders (2-8 each) and browsing events."""
    by_category: dict[str, list[str]] = {}
    for product in products:
        by_category.setdefault(product["category"], []).append(product["id"])
    by_id = {p["id"]: p for p in products}
    languages = ["zh"] * (count * 5 // 8) + ["en"] * (count - count * 5 // 8)
    rng.shuffle(languages)
    taken_names: set[str] = set()
    customers = [build_customer(rng, i, lang, taken_names) for i, lang in enumerate(languages)]
    profiles = [build_profile(rng, by_category) for _ in customers]
    order_counts = [rng.randint(2, 8) for _ in customers]
    plan = status_plan(rng, sum(order_counts))
    taken_ids: set[str] = set()
    orders: list[dict[str, Any]] = []
    for customer, profile, n in zip(customers, profiles, order_counts):
        own = [build_order(rng, order_id(rng, taken_ids), customer, plan.pop(), profile, by_id) for _ in range(n)]
        own.sort(key=lambda o: o["created_at"])
        customer["events"] = browsing_events(rng, profile, own)
        orders.extend(own)
    return customers, orders


def build_faq() -> list[dict[str, Any]]:
    """faq.json: every article in zh and en."""
    rows = []
    for article_id, topic, tags, zh, en in FAQ:
        rows.append({"id": article_id, "lang": "zh", "topic": topic, "title": zh[0], "body": zh[1], "tags": list(tags)})
        rows.append({"id": article_id, "lang": "en", "topic": topic, "title": en[0], "body": en[1], "tags": list(tags)})
    return rows


def build_demo_data(seed: int = SEED) -> dict[str, list[dict[str, Any]]]:
    """Every demo file's content keyed by file stem, drawn from one seeded generator."""
    rng = random.Random(seed)
    products = build_products(rng)
    customers, orders = build_people(rng, products)
    return {"categories": build_categories(), "products": products, "customers": customers,
            "orders": orders, "faq": build_faq()}


def render(data: list[dict[str, Any]]) -> str:
    """The JSON text written for one file: UTF-8 characters, sorted keys, one-space indent."""
    return json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True) + "\n"


def write_demo_data(out_dir: str | Path = DEFAULT_OUT_DIR, seed: int = SEED) -> list[Path]:
    """Generate the demo shop into ``out_dir``; returns the files written."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for stem, data in build_demo_data(seed).items():
        path = out / f"{stem}.json"
        path.write_text(render(data), encoding="utf-8")
        written.append(path)
    return written


def main(argv: list[str] | None = None) -> int:
    """Command line: ``python -m core.demo.generate [OUT_DIR]``."""
    args = sys.argv[1:] if argv is None else argv
    for path in write_demo_data(args[0] if args else DEFAULT_OUT_DIR):
        print(path)
    return 0


# --------------------------------------------------------------------------------------------
# FAQ and policy articles: (id, topic, tags, (zh title, zh body), (en title, en body))
# --------------------------------------------------------------------------------------------
FAQ: tuple[tuple[str, str, tuple[str, ...], tuple[str, str], tuple[str, str]], ...] = (
    (
        "returns-window", "returns", ("退货", "退货政策", "30天", "return", "returns", "return policy"),
        ("退货政策：30天内可退",
         "自签收之日起30天内，未使用、吊牌完好且保留原包装的商品可申请退货。"
         "食品、已拆封的护肤品和贴身衣物出于卫生原因不支持无理由退货，但质量问题除外。"
         "因质量问题或发错货产生的退货运费由我们承担，其他情况由顾客承担寄回运费。"),
        ("Return policy: 30 days",
         "You can return unused items with tags attached and in their original packaging within 30 days of delivery. "
         "For hygiene reasons, food, opened skincare and underwear cannot be returned unless they are faulty. "
         "We pay the return postage for faulty or wrong items; otherwise the customer pays to send the parcel back."),
    ),
    (
        "returns-how", "returns", ("退货", "申请退货", "退货流程", "return", "start a return", "return label"),
        ("如何申请退货",
         "在“我的订单”中找到已签收的订单，点击“申请退货”并选择原因，或直接告诉客服订单号。"
         "审核通过后我们会发送退货地址和寄件码，可预约顺丰上门取件。"
         "仓库签收并检查商品后，退款将在3个工作日内发起。"),
        ("How to start a return",
         "Open the delivered order under My Orders and tap Request return, choosing a reason, or simply send us the order number in chat. "
         "Once approved we send you the return address and a drop-off code, and you can book an SF Express pickup. "
         "We issue the refund within 3 business days after the warehouse receives and checks the item."),
    ),
    (
        "exchanges", "exchanges", ("换货", "换尺码", "换颜色", "exchange", "swap size", "swap colour"),
        ("换货说明",
         "签收后30天内，未使用的商品可免费换成同款的其他尺码或颜色，视库存而定。"
         "每件商品可换货一次，换货不收取差价以外的费用。"
         "仓库收到寄回的商品后，我们会在48小时内寄出新商品并发送新的物流单号。"),
        ("Exchanges",
         "Within 30 days of delivery you can exchange an unused item for another size or colour of the same product, subject to stock. "
         "Each item can be exchanged once, and you only pay any difference in price. "
         "We ship the replacement within 48 hours of receiving your return and send you the new tracking number."),
    ),
    (
        "refunds-timing", "refunds", ("退款", "退款时间", "原路退回", "店铺余额", "refund", "refund time", "store credit"),
        ("退款多久到账",
         "退款默认原路退回：支付宝和微信支付通常1-3个工作日到账，信用卡和PayPal需要5-10个工作日。"
         "您也可以选择退为店铺余额，审核通过后即时到账，可用于下次购物。"
         "礼品卡支付的部分始终退回礼品卡。"),
        ("How long refunds take",
         "Refunds go back to your original payment method: Alipay and WeChat Pay usually take 1-3 business days, credit cards and PayPal 5-10 business days. "
         "You can choose store credit instead, which arrives as soon as the refund is approved and can be spent on your next order. "
         "Any amount paid by gift card is always returned to the gift card."),
    ),
    (
        "shipping-carriers", "shipping", ("发货", "快递", "物流", "顺丰", "京东物流", "shipping", "delivery", "carrier", "tracking"),
        ("发货与配送时效",
         "订单付款后48小时内发货，中国大陆使用顺丰速运或京东物流，一般2-4天送达。"
         "港澳台及海外订单通过UPS配送，通常6-10个工作日送达。"
         "发货后您会收到物流单号，可随时向客服查询包裹位置。"),
        ("Shipping carriers and delivery times",
         "We ship within 48 hours of payment. Orders in mainland China travel with SF Express or JD Logistics and usually arrive in 2-4 days. "
         "Orders to Hong Kong, Macau, Taiwan and overseas go with UPS and usually take 6-10 business days. "
         "You receive a tracking number once the parcel ships, and our chat can look up where it is at any time."),
    ),
    (
        "shipping-fees", "shipping", ("运费", "包邮", "免运费", "shipping fee", "free shipping", "delivery cost"),
        ("运费与包邮门槛",
         "中国大陆订单满99元包邮，不满99元收取10元运费。"
         "海外订单运费按重量计算，满800元免国际运费。"
         "偏远地区可能需要额外1-2天，运费不变。"),
        ("Shipping fees and free shipping",
         "Orders in mainland China ship free over ¥99; below that we charge ¥10. "
         "International shipping is priced by weight and is free on orders over ¥800. "
         "Remote areas may take 1-2 extra days at the same price."),
    ),
    (
        "payment-methods", "payment", ("支付", "付款方式", "支付宝", "微信支付", "信用卡", "payment", "pay", "alipay", "wechat pay", "credit card", "paypal"),
        ("支持的付款方式",
         "我们支持支付宝、微信支付、银联及Visa/Mastercard信用卡，海外顾客还可以使用PayPal。"
         "礼品卡可以与其他付款方式组合使用。"
         "所有订单以人民币结算，境外卡可能产生发卡行的货币转换费。"),
        ("Payment methods",
         "We accept Alipay, WeChat Pay, UnionPay and Visa/Mastercard credit cards, and customers abroad can also use PayPal. "
         "Gift cards can be combined with any other method. "
         "All orders are charged in CNY, so foreign cards may add a currency conversion fee from your bank."),
    ),
    (
        "invoices", "invoices", ("发票", "开发票", "电子发票", "增值税专用发票", "invoice", "fapiao", "vat invoice", "receipt"),
        ("如何开具发票",
         "订单签收后90天内，可在订单详情页点击“申请发票”，或把抬头和税号发给客服。"
         "个人和企业均可开具增值税电子普通发票，3个工作日内发送到您的邮箱。"
         "如需增值税专用发票，请提供公司名称、税号、开户行及账号、注册地址和电话。"),
        ("How to get an invoice (fapiao)",
         "Within 90 days of delivery, tap Request invoice on the order page or send the invoice title and tax ID to our chat. "
         "We issue electronic VAT general invoices (fapiao) for individuals and companies and email them within 3 business days. "
         "For a special VAT invoice, please provide the company name, tax ID, bank and account number, and registered address and phone."),
    ),
    (
        "coupons", "coupons", ("优惠券", "优惠码", "折扣", "满减", "coupon", "promo code", "discount", "voucher"),
        ("优惠券使用规则",
         "在结算页输入优惠码即可使用，每个订单限用一张优惠券，不可与其他优惠券叠加。"
         "请留意优惠券的最低消费金额和有效期，过期后无法恢复。"
         "优惠券不能兑换现金；订单全额退款且优惠券仍在有效期内时，优惠券会退回您的账户。"),
        ("Using coupons",
         "Enter the code at checkout; one coupon can be used per order and coupons cannot be combined. "
         "Check each coupon's minimum spend and expiry date, as expired coupons cannot be restored. "
         "Coupons have no cash value; if an order is fully refunded while the coupon is still valid, it goes back to your account."),
    ),
    (
        "privacy-data", "privacy", ("隐私", "个人信息", "删除账户", "导出数据", "退订", "privacy", "personal data", "delete account", "export data", "unsubscribe"),
        ("隐私与个人数据",
         "我们只将您的个人信息用于处理订单和客户服务，未经同意不会发送营销消息。"
         "您可以随时向客服申请导出个人数据或删除账户，我们会在15天内处理完毕。"
         "回复“退订”即可停止接收促销消息，不影响订单通知。"),
        ("Privacy and your data",
         "We use your personal information only to fulfil orders and provide support, and send marketing messages only with your consent. "
         "You can ask our chat at any time to export your data or delete your account, and we complete the request within 15 days. "
         "Reply STOP to stop promotional messages; order notifications are not affected."),
    ),
    (
        "order-changes", "orders", ("取消订单", "修改订单", "修改地址", "cancel order", "change order", "change address"),
        ("修改或取消订单",
         "只有“待处理”状态的订单可以取消、修改收货地址或更换商品款式。"
         "订单进入“已处理”或已发货后无法取消，您可以在签收后申请退货。"
         "取消的订单会全额原路退款。"),
        ("Changing or cancelling an order",
         "Only orders that are still pending can be cancelled or have their address or item options changed. "
         "Once an order is processed or shipped it can no longer be cancelled, but you can return it after delivery. "
         "Cancelled orders are refunded in full to the original payment method."),
    ),
    (
        "size-guide", "sizing", ("尺码", "尺码表", "选码", "鞋码", "size", "size guide", "size chart", "fit"),
        ("尺码指南",
         "服装尺码参考：S码胸围84厘米，M码88厘米，L码92厘米，XL码96厘米，XXL码100厘米。"
         "鞋码为欧码35-44，对应脚长22.5-27厘米，每半厘米一个码。"
         "童装按身高选码，例如110码适合身高105-115厘米的孩子；拿不准时告诉客服身高体重，我们帮您推荐。"),
        ("Size guide",
         "Clothing: S fits an 84 cm bust, M 88 cm, L 92 cm, XL 96 cm and XXL 100 cm. "
         "Shoes come in EU sizes 35-44, matching foot lengths of 22.5-27 cm in half-centimetre steps. "
         "Kids' sizes follow height, so 110 fits children 105-115 cm tall; if unsure, tell our chat your height and weight and we will suggest a size."),
    ),
    (
        "warranty", "warranty", ("保修", "质保", "三包", "坏了", "维修", "warranty", "repair", "faulty", "defective"),
        ("保修与三包",
         "数码电子产品享受一年全国联保：签收7天内出现质量问题可退货，15天内可换新，一年内免费维修。"
         "其他商品如有做工或质量问题，签收后90天内可免费维修或换货。"
         "申请时请提供订单号和问题照片或视频，人为损坏不在保修范围内。"),
        ("Warranty",
         "Electronics carry a one-year nationwide warranty: faulty items can be returned within 7 days of delivery, replaced within 15 days and repaired free for a year. "
         "Other products with manufacturing faults can be repaired or replaced free within 90 days of delivery. "
         "Send us the order number with photos or a video of the problem; accidental damage is not covered."),
    ),
    (
        "contact-hours", "contact", ("联系客服", "人工客服", "客服时间", "电话", "contact", "customer service", "human agent", "opening hours"),
        ("联系我们与服务时间",
         "在线客服每天9:00-21:00（北京时间）在线，节假日照常服务。"
         "随时回复“人工”即可转接人工客服，非工作时间的留言会在次日上午优先处理。"
         "也可以发送邮件至 support@example.com，我们会在24小时内回复。"),
        ("Contact us and opening hours",
         "Our chat team is available every day from 9:00 to 21:00 Beijing time, including public holidays. "
         "Type \"agent\" at any time to reach a person; messages sent outside these hours are answered first thing the next morning. "
         "You can also email support@example.com and we will reply within 24 hours."),
    ),
)


if __name__ == "__main__":
    raise SystemExit(main())
