"""A streamed reply in WeChat: the first sentence in the passive reply, the rest (the model's sentences
that passed, or the template's remainder) through the customer-service API of the fake WeChat server."""
from __future__ import annotations

from tests.fakes.streaming_llm import StreamingBackend, streaming_generator
from tests.test_wechat_channel import Shop, fake, passive, shop_store  # noqa: F401 - fixtures

THANKS = "You're so welcome! It was a pleasure to help. Anything else I can help with?"


async def test_the_first_sentence_answers_passively_and_the_rest_follows_through_the_api(fake, shop_store):
    async with Shop(shop_store, fake) as shop:
        shop.assistant.components.generator = streaming_generator(StreamingBackend(THANKS, pause_s=0.05))
        status, body = await shop.push(shop.message("text", Content="thank you so much!"))
        assert status == 200 and passive(body)["Content"] == "You're so welcome!"
        [rest] = await fake.wait_for(1)
        assert rest["msgtype"] == "text" and rest["touser"] == "o_alice"
        assert rest["text"]["content"] == "It was a pleasure to help. Anything else I can help with?"
        transcript = shop_store.db.execute("select text from messages where direction = 'out'").fetchall()
        assert transcript == [(THANKS,)]


async def test_a_failing_sentence_never_reaches_wechat_and_the_template_finishes(fake, shop_store):
    async with Shop(shop_store, fake) as shop:
        invented = "You're so welcome! As a VIP you get a free gift. Anything else I can help with?"
        shop.assistant.components.generator = streaming_generator(StreamingBackend(invented))
        status, body = await shop.push(shop.message("text", Content="thanks!"))
        assert passive(body)["Content"] == "You're so welcome!"
        [rest] = await fake.wait_for(1)
        assert rest["text"]["content"] == "Anything else I can help with?"
