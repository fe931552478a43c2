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
