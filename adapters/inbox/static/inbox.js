// The inbox section: watch the queue, open a conversation, claim / reply / resolve. Polls every 3 seconds.
(function () {
  "use strict";
  const { t, call, $ } = window.KefuConsole;
  let current = null;
  let shownHandoff = null;  // the handoff whose card is on screen: actions name it, not "whichever is open now"

  function minutes(seconds) {
    return seconds < 60 ? t("<1 min", "不到1分钟") : Math.floor(seconds / 60) + t(" min", "分钟");
  }

  async function refreshQueue() {
    const data = await call("/conversations");
    const list = $("queue");
    list.replaceChildren();
    $("queue-empty").hidden = data.conversations.length > 0;
    for (const item of data.conversations) {
      const li = document.createElement("li");
      const button = document.createElement("button");
      button.type = "button";
      button.dataset.conversation = item.conversation_id;
      button.className = item.conversation_id === current ? "selected" : "";
      const title = document.createElement("strong");
      title.textContent = item.customer;
      const mood = document.createElement("span");
      mood.className = "mood mood-" + item.mood;
      mood.textContent = item.mood;
      const meta = document.createElement("div");
      meta.className = "muted";
      meta.textContent = item.channel + " · " + item.reason + " · " + t("waiting ", "已等待") + minutes(item.waiting_s) +
        (item.claimed_by ? " · " + t("claimed by ", "接手人：") + item.claimed_by : "");
      button.append(title, " ", mood, meta);
      button.addEventListener("click", () => open(item.conversation_id));
      li.append(button);
      list.append(li);
    }
  }

  async function open(conversationId) {
    current = conversationId;
    $("conversation").hidden = false;
    $("action-error").textContent = "";
    await refreshConversation();
    await refreshQueue();
  }

  async function refreshConversation() {
    if (!current) return;
    let data;
    try {
      data = await call("/conversations/" + encodeURIComponent(current));
    } catch (error) {
      $("conversation").hidden = true;
      current = null;
      return;
    }
    const card = data.card;
    shownHandoff = card.id;
    const facts = [[t("Customer", "顾客"), card.customer], [t("Channel", "渠道"), card.channel],
      [t("Language", "语言"), card.language], [t("Mood", "情绪"), card.mood], [t("Order", "订单"), card.order_id || "-"],
      [t("Status", "状态"), card.status + (card.claimed_by ? " (" + card.claimed_by + ")" : "")]];
    const dl = document.createElement("dl");
    for (const [key, value] of facts) {
      const dt = document.createElement("dt");
      dt.textContent = key;
      const dd = document.createElement("dd");
      dd.textContent = value;
      dl.append(dt, dd);
    }
    const summary = document.createElement("pre");
    summary.textContent = card.summary;
    const note = document.createElement("p");  // a model wrote the summary: check the transcript
    note.className = "summary-note";
    note.textContent = card.summary_note;
    $("card").replaceChildren(dl, ...(card.summary_note ? [note] : []), summary);
    $("claim").disabled = card.status !== "open";
    const transcript = $("transcript");
    transcript.replaceChildren();
    for (const line of data.transcript) {
      const li = document.createElement("li");
      li.className = line.author === "shopper" || line.author === "assistant" ? line.author : "staff";
      const author = document.createElement("span");
      author.className = "author";
      author.textContent = line.author;
      li.append(author, document.createTextNode(line.text));
      transcript.append(li);
    }
    transcript.scrollTop = transcript.scrollHeight;
  }

  async function act(verb, body) {
    $("action-error").textContent = "";
    try {
      await call("/conversations/" + encodeURIComponent(current) + "/" + verb,
        { method: "POST", body: Object.assign({ handoff_id: shownHandoff }, body) });
    } catch (error) {
      $("action-error").textContent = error.message;
    }
    await refreshConversation();
    await refreshQueue();
  }

  $("claim").addEventListener("click", () => act("claim"));
  $("resolve").addEventListener("click", () => act("resolve", { back_to_bot: false }));
  $("back").addEventListener("click", () => act("resolve", { back_to_bot: true }));
  $("reply").addEventListener("submit", async (event) => {
    event.preventDefault();
    const text = $("reply-text").value.trim();
    if (!text) return;
    await act("reply", { text: text });
    if (!$("action-error").textContent) $("reply-text").value = "";
  });

  window.KefuConsole.register("inbox", {
    start() {
      setInterval(() => {
        if (!window.KefuConsole.loggedIn()) return;
        refreshQueue().catch(() => null);
        refreshConversation().catch(() => null);
      }, 3000);
    },
    show() {
      refreshQueue().catch(() => null);
    },
  });
})();
