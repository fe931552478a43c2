"""A delivery address typed as one line, split into its parts: street, unit, city, state or province,
zip code, country; Chinese addresses province → city → district → street.

English (US-style) addresses go to usaddress, the conditional-random-field parser of the datamade
project (kept up, pure Python on python-crfsuite): "4127 Maple Avenue, Apt 12, Portland, OR 97205"
is street "4127 Maple Avenue", unit "Apt 12", city "Portland", state "OR", zip "97205". Chinese
addresses are read by their administrative suffixes (省 / 自治区, 市 / 州 / 盟, 区 / 县 / 旗), the way
they are always written, largest first; the district stays in front of the street, as Chinese labels
print it. What cannot be read into parts is kept whole as the street line, never dropped."""
from __future__ import annotations

import re
from dataclasses import asdict, dataclass

import usaddress

_CJK = re.compile(r"[\u4e00-\u9fff]")
_MUNICIPALITIES = ("北京市", "上海市", "天津市", "重庆市")
_ZH = re.compile(r"^(?P<province>(?:北京|上海|天津|重庆)市|[\u4e00-\u9fff]{2,7}?(?:省|自治区|特别行政区))?"
                 r"(?P<city>[\u4e00-\u9fff]{2,8}?(?:市|自治州|地区|盟))?"
                 r"(?P<district>[\u4e00-\u9fff]{1,8}?(?:区|县|旗))?(?P<street>.*)$")
_ZH_ZIP = re.compile(r"(?:邮编|邮政编码)?[:：]?\s*(?<!\d)(\d{6})(?!\d)")
_STREET_TAGS = ("AddressNumberPrefix", "AddressNumber", "AddressNumberSuffix", "StreetNamePreModifier",
                "StreetNamePreDirectional", "StreetNamePreType", "StreetName", "StreetNamePostType",
                "StreetNamePostDirectional", "USPSBoxType", "USPSBoxID", "BuildingName")
_US_STATE = re.compile(r"^[A-Z]{2}$|^(?:[A-Z][a-z]+)(?: [A-Z][a-z]+)?$")
_US_ZIP = re.compile(r"^\d{5}(?:-\d{4})?$")
_UNIT_TAGS = ("OccupancyType", "OccupancyIdentifier", "SubaddressType", "SubaddressIdentifier")


@dataclass(frozen=True)
class AddressParts:
    """An address in Kefu's fields (the shop port's ``line1``, ``line2``, ``city``, ``province``, ``zip``,
    ``country``); empty strings for what the text did not say."""

    line1: str
    line2: str = ""
    city: str = ""
    province: str = ""
    zip: str = ""
    country: str = ""

    def fields(self) -> dict[str, str]:
        """The parts the text said, by field name."""
        return {key: value for key, value in asdict(self).items() if value}


def parse_address(text: str) -> AddressParts:
    """The parts of an address written on one line (a Chinese one when it has Chinese characters)."""
    text = " ".join(text.split()).strip(" ,，。.")
    return _parse_zh(text) if _CJK.search(text) else _parse_en(text)


def _parse_en(text: str) -> AddressParts:
    try:
        tags, kind = usaddress.tag(text)
    except usaddress.RepeatedLabelError:  # two streets or two cities: not one address it can split
        return AddressParts(text)
    street = " ".join(tags[tag] for tag in _STREET_TAGS if tag in tags)
    state, zip_code = tags.get("StateName", ""), tags.get("ZipCode", "")
    if kind == "Ambiguous" or not street or state and not _US_STATE.match(state) or zip_code and not _US_ZIP.match(zip_code):
        return AddressParts(text)  # not a US-style address (usaddress knows no other): kept whole
    return AddressParts(street, " ".join(tags[tag] for tag in _UNIT_TAGS if tag in tags),
                        tags.get("PlaceName", ""), state, zip_code,
                        tags.get("CountryName", ""))


def _parse_zh(text: str) -> AddressParts:
    zip_match = _ZH_ZIP.search(text)
    if zip_match:
        text = (text[:zip_match.start()] + text[zip_match.end():]).strip(" ,，。")
    parts = _ZH.match(text.replace(" ", ""))
    assert parts is not None  # every group is optional: it always matches
    province, city = parts["province"] or "", parts["city"] or ""
    if province in _MUNICIPALITIES and not city:
        city = province
    street = f"{parts['district'] or ''}{parts['street']}".strip(" ,，")
    if not street:
        return AddressParts(text, zip=zip_match.group(1) if zip_match else "")
    return AddressParts(street, "", city, province, zip_match.group(1) if zip_match else "")


# Parts of an address sent one or a few at a time ("58 Lakeview Road", "Evanston IL", "zip is 60201",
# "城市 Boulder，州 CO", "邮编80302"): a label names the part, else the piece's shape does.
_IS = r"\s*(?:is|are|was|should be|=|是|为|:|：)?\s*"
_LABELLED = {
    "line1": re.compile(rf"(?:^|[,，;；]\s*)(?:(?:the\s+)?(?:new\s+)?street(?:\s+address)?|address\s+line\s*1|街道(?:地址)?){_IS}"
                        r"(?P<value>[^,，;；。]+)", re.IGNORECASE),
    "city": re.compile(rf"(?:^|[,，;；\s]\s*)(?:city|town|城市){_IS}(?P<value>[A-Za-z\u4e00-\u9fff][A-Za-z\u4e00-\u9fff .'-]*)",
                       re.IGNORECASE),
    "province": re.compile(rf"(?:^|[,，;；\s]\s*)(?:state|province|州|省份?){_IS}(?P<value>[A-Za-z\u4e00-\u9fff][A-Za-z\u4e00-\u9fff ]*)",
                           re.IGNORECASE),
    # the number may come a few words after its label: "邮编打错了，应该是78701", "zip was wrong, should be 78701"
    "zip": re.compile(r"(?:zip(?:\s*code)?|postal\s*code|post\s*code|postcode|邮编|邮政编码)[^\d\n]{0,32}?"
                      r"(?<!\d)(?P<value>\d{5,6}(?:-\d{4})?)(?!\d)", re.IGNORECASE),
    "country": re.compile(rf"(?:^|[,，;；\s]\s*)(?:country|国家){_IS}(?P<value>[A-Za-z\u4e00-\u9fff][A-Za-z\u4e00-\u9fff .]*)",
                          re.IGNORECASE),
}
_LEAD = re.compile(r"^(?:(?:the\s+)?new\s+(?:delivery\s+|shipping\s+)?address(?:\s+is)?|address(?:\s+is)?|"
                   r"新的?(?:收货|送货)?地址(?:是|为)?|(?:收货|送货)?地址(?:是|为|改成|改为)?)\s*[:：]?\s*", re.IGNORECASE)
_PIECE_SPLIT = re.compile(r"[,，;；。]|\s+(?:and|also)\s+")
_UNIT = re.compile(r"^(?:apt|apartment|suite|ste|unit|room|flat|#)\.?\s*[A-Za-z0-9-]+$", re.IGNORECASE)
_CITY_STATE = re.compile(r"^(?P<city>[A-Za-z][A-Za-z .'-]*?)\s*,?\s+(?P<state>[A-Z]{2})(?:\s+(?P<zip>\d{5}(?:-\d{4})?))?$")
_STATE_ZIP = re.compile(r"^(?P<state>[A-Z]{2})\s+(?P<zip>\d{5}(?:-\d{4})?)$")
_STATE_AFTER_CITY = re.compile(r"^(?P<city>[A-Za-z][A-Za-z .'-]*?)\s*,?\s+(?P<state>[A-Z]{2})$")
_STATE_ALONE = re.compile(r"^[A-Z]{2}$")
_ZIP_ALONE = re.compile(r"^(?:it'?s\s+|its\s+)?(?P<zip>\d{5}(?:-\d{4})?|\d{6})$", re.IGNORECASE)
_STREET = re.compile(r"^(?:it'?s\s+|its\s+)?(?P<street>\d+[A-Za-z]?\s+[A-Za-z][A-Za-z0-9 .'-]*)$", re.IGNORECASE)


def address_pieces(text: str) -> dict[str, str]:
    """The parts of an address a message gives, by Kefu's field names, when it gives only some of
    them ("58 Lakeview Road" → line1; "Evanston IL" → city, province; "sorry typo, zip is 60201" → zip;
    "城市 Boulder，州 CO" → city, province); a whole address on one line gives all it has. Empty when
    the message holds no part of an address."""
    text = _LEAD.sub("", " ".join(text.split()).strip(" .。"))
    whole = parse_address(text)
    if whole.city and (whole.zip or whole.province) or whole.line1 and whole.city and whole.line1 != text:
        return whole.fields()
    found: dict[str, str] = {}
    rest = text
    for key, pattern in _LABELLED.items():
        match = pattern.search(rest)
        if match:
            value = match["value"].strip(" .'")
            if value:  # a street may carry its unit ("street: 12 Oak Lane Apt 4")
                found.update(parse_address(value).fields() if key == "line1" else {key: value})
                rest = rest[:match.start("value")] + " " * len(match["value"]) + rest[match.end("value"):]
    if "city" in found and "province" not in found and (state := _STATE_AFTER_CITY.match(found["city"])):
        found["city"], found["province"] = state["city"], state["state"]  # "city is Madison WI"
    lone = [p.strip(" .'") for p in _PIECE_SPLIT.split(rest) if _STATE_ALONE.match(p.strip(" .'"))]
    if "city" in found and "province" not in found and len(lone) == 1:
        found["province"] = lone[0]  # "城市 Madison, WI": the state after the labelled city
    if not _read_piece(rest.strip(" ,，.'"), found):  # "Portland, OR 97205" is one piece
        for piece in (p.strip(" .'") for p in _PIECE_SPLIT.split(rest)):
            _read_piece(piece, found)
    return found


def _read_piece(piece: str, found: dict[str, str]) -> bool:
    """One unlabelled piece, by its shape: a unit, a zip, a city with its state (and zip), a street;
    whether it was one (what a part already holds is kept)."""
    if _UNIT.match(piece):
        parts = {"line2": piece}
    elif match := _ZIP_ALONE.match(piece) or _STATE_ZIP.match(piece) or _CITY_STATE.match(piece):
        parts = {key: match[group].strip() for key, group in (("city", "city"), ("province", "state"), ("zip", "zip"))
                 if group in match.re.groupindex and match[group]}
    elif (match := _STREET.match(piece)) and _street_tagged(match["street"]):
        parts = parse_address(match["street"]).fields()
    else:
        return False
    for key, value in parts.items():
        found.setdefault(key, value)
    return True


def _street_tagged(text: str) -> bool:
    """Whether usaddress reads the text as a street address (a number, a street name and its type:
    "58 Lakeview Road", not "2 pairs please")."""
    try:
        tags, kind = usaddress.tag(text)
    except usaddress.RepeatedLabelError:
        return False
    return kind == "Street Address" and "AddressNumber" in tags and "StreetName" in tags and \
        ("StreetNamePostType" in tags or "StreetNamePreType" in tags)
