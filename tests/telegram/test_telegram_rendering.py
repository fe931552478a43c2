"""Rendering replies for Telegram: escaping, splitting, captions, callback data limits."""
from __future__ import annotations

from adapters.telegram.payloads import CallbackPayloads
from adapters.telegram.rendering import MAX_CAPTION, Outgoing, clip, escape, render_reply, split_text
from adapters.telegram.storage import register
from core.messages import Button, ProductCard, Reply
from core.store import Store


def test_escape_only_touches_what_telegram_html_needs():
    assert escape('a < b & c > "d"') == 'a &lt; b &amp; c &gt; "d"'


def test_split_prefers_line_breaks_and_never_cuts_an_entity():
    text = "\n".join(f"line {i} & more" for i in range(600))
    chunks = split_text(text, limit=500)
    assert all(len(c) <= 500 for c in chunks) and len(chunks) > 1
    assert all(not c.endswith(("&", "&am", "&amp")) for c in chunks)
    assert "\n".join(chunks).replace("&amp;", "&") == text


def test_a_word_longer_than_the_limit_is_cut_hard():
    assert split_text("&" * 12, limit=10) == ["&amp;&amp;", "&amp;&amp;", "&amp;&amp;",
                                             "&amp;&amp;", "&amp;&amp;", "&amp;&amp;"]
    assert split_text("   \n ") == []


def test_clip_keeps_the_escaped_form_within_the_limit():
    clipped = clip("<" * 400, 100)
    assert len(clipped) <= 101 and clipped.endswith("…") and "&lt;" in clipped


def test_cards_become_photos_with_captions_and_three_buttons():
    store = Store(":memory:")
    payloads = CallbackPayloads(register(store))
    card = ProductCard("P1", "Red <dress> & co", "¥199.00", "https://img.example/p1.jpg", "red / blue" * 200,
                       (Button("Details", "/product P1"), Button("More like this", "/more P1")))
    text, photo = render_reply(Reply("Found:", buttons=(Button("Next", "/page 2"),), cards=(card,)), payloads)
    assert text == Outgoing("text", "Found:", text.keyboard) and text.keyboard[0][0].data == "/page 2"
    assert photo.kind == "photo" and photo.photo == card.image_url and len(photo.html) <= MAX_CAPTION
    assert photo.html.startswith("<b>Red &lt;dress&gt; &amp; co</b>\n¥199.00\n")
    assert [[k.data for k in row] for row in photo.keyboard] == [["/product P1", "/more P1"], ["tg:cart:P1"]]
    assert Outgoing.from_json(photo.to_json()) == photo


def test_payloads_over_64_bytes_travel_as_stored_keys():
    store = Store(":memory:")
    payloads = CallbackPayloads(register(store))
    long = "/product " + "商品" * 30
    data = payloads.data_for(long)
    assert len(data.encode()) <= 64 and data != long and payloads.payload_of(data) == long
    assert payloads.data_for("/product P1") == "/product P1"
    assert payloads.payload_of("tg:p:unknown") is None
