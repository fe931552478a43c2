// The inbox section: watch the queue, open a conversation, claim / reply / resolve. Polls every 3 seconds.
(function () {
  "use strict";
  const { t, call, $ } = window.KefuConsole;
  let current = null;
  let shownHandoff = null;  // the handoff whose card is on screen: actions name it, not "whichever is open now"
  let inserted = null;  // {via, text}: the canned reply ("canned:ID") or suggestion last put in the box, for the audit
  let shownOrder = "";  // the order the conversation is about; canned replies use it when it is the customer's

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
    inserted = null;
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
    shownOrder = card.order_id || "";
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
    await refreshCopilot().catch(() => { $("copilot").hidden = true; });  // a console without the copilot
  }

  function item(parent, text) {
    const li = document.createElement("li");
    li.textContent = text;
    parent.append(li);
  }

  /** The facts beside the transcript: the customer, their own orders, their earlier conversations. */
  async function refreshCopilot() {
    const facts = await call("/copilot/" + encodeURIComponent(current));
    $("copilot").hidden = false;
    const unknown = t("unknown", "未知");
    const dl = $("copilot-customer");
    dl.replaceChildren();
    for (const [key, value] of [[t("Name", "姓名"), facts.customer.name], [t("Email", "邮箱"), facts.customer.email],
      [t("Since", "注册于"), (facts.customer.since || "").slice(0, 10)], [t("Language", "语言"), facts.customer.language],
      [t("Mood", "情绪"), facts.mood]]) {
      const dt = document.createElement("dt");
      dt.textContent = key;
      const dd = document.createElement("dd");
      dd.textContent = value || unknown;
      dl.append(dt, dd);
    }
    $("copilot-orders").replaceChildren();
    for (const order of facts.orders) {
      item($("copilot-orders"), order.id + " · " + order.status + " · " + t("tracking ", "运单 ") +
        (order.tracking ? (order.carrier ? order.carrier + " " : "") + order.tracking : unknown));
    }
    if (!facts.orders.length) item($("copilot-orders"), t("none known", "没有已知订单"));
    $("copilot-viewed").replaceChildren();
    for (const product of facts.viewed) item($("copilot-viewed"), t(product.title_en, product.title_zh) || product.id);
    if (!facts.viewed.length) item($("copilot-viewed"), t("none known", "没有记录"));
    $("copilot-earlier").replaceChildren();
    for (const talk of facts.earlier) {
      item($("copilot-earlier"), talk.started_at.slice(0, 10) + " · " + talk.outcome + " · " + talk.first_line);
    }
    if (!facts.earlier.length) item($("copilot-earlier"), t("none", "无"));
  }

  async function loadCanned() {
    const data = await call("/canned");
    const select = $("canned-choice");
    select.replaceChildren();
    for (const reply of data.canned) {
      const option = document.createElement("option");
      option.value = reply.id;
      option.textContent = reply.title;
      select.append(option);
    }
    $("canned-insert").disabled = !data.canned.length;
  }

  /** Unfilled variables ({{tracking}} with no value) block the send until the colleague edits them. */
  function checkUnfilled() {
    const left = $("reply-text").value.match(/\{\{\s*(name|email|order_id|tracking)\s*\}\}/g) || [];
    $("canned-missing").textContent = left.length ? t("Fill in: ", "请填写：") + left.join(", ") : "";
    return left.length === 0;
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
    if (!text || !checkUnfilled()) return;
    const source = inserted ? { via: inserted.via, edited: text !== inserted.text.trim() } : {};
    await act("reply", Object.assign({ text: text }, source));
    if (!$("action-error").textContent) {
      $("reply-text").value = "";
      inserted = null;
    }
  });
  $("reply-text").addEventListener("input", checkUnfilled);
  $("suggest").addEventListener("click", async () => {  // the bot's answer to the last message, to edit and send
    const suggestion = await call("/copilot/" + encodeURIComponent(current) + "/suggestion");
    $("canned-missing").textContent = suggestion.text ? "" : t("No suggestion: this needs a colleague.", "没有建议：需要同事处理。");
    if (suggestion.text) {
      $("reply-text").value = suggestion.text;
      inserted = { via: "suggestion", text: suggestion.text };
    }
  });
  $("canned-insert").addEventListener("click", async () => {
    const filled = await call("/canned/" + $("canned-choice").value + "/fill/" + encodeURIComponent(current) +
      "?order_id=" + encodeURIComponent(shownOrder));
    $("reply-text").value = filled.text;
    inserted = { via: "canned:" + $("canned-choice").value, text: filled.text };
    checkUnfilled();
    $("reply-text").focus();
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
      loadCanned().catch(() => null);
    },
  });
})();
