// The staff inbox: log in, watch the queue, open a conversation, claim / reply / resolve.
// Plain DOM (textContent only: shopper text is never parsed as HTML); polls every 3 seconds.
(function () {
  "use strict";
  const api = "/staff/api";
  const $ = (id) => document.getElementById(id);
  let csrf = null;
  let current = null;
  let shownHandoff = null;  // the handoff whose card is on screen: actions name it, not "whichever is open now"

  async function call(path, options) {
    const init = Object.assign({ credentials: "same-origin", headers: {} }, options || {});
    if (init.method === "POST") {
      init.headers["Content-Type"] = "application/json";
      if (csrf) init.headers["X-CSRF-Token"] = csrf;
      init.body = JSON.stringify(init.body || {});
    }
    const response = await fetch(api + path, init);
    const data = await response.json().catch(() => ({}));
    if (!response.ok) throw new Error(data.error || response.statusText);
    return data;
  }

  function minutes(seconds) {
    return seconds < 60 ? "<1 min" : Math.floor(seconds / 60) + " min";
  }

  function show(loggedIn, staff) {
    $("login").hidden = loggedIn;
    $("inbox").hidden = !loggedIn;
    $("logout").hidden = !loggedIn;
    $("who").textContent = loggedIn ? "Logged in as " + staff : "";
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
      meta.textContent = item.channel + " · " + item.reason + " · waiting " + minutes(item.waiting_s) +
        (item.claimed_by ? " · claimed by " + item.claimed_by : "");
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
    const facts = [["Customer", card.customer], ["Channel", card.channel], ["Language", card.language],
      ["Mood", card.mood], ["Order", card.order_id || "-"],
      ["Status", card.status + (card.claimed_by ? " (" + card.claimed_by + ")" : "")]];
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

  $("login").addEventListener("submit", async (event) => {
    event.preventDefault();
    $("login-error").textContent = "";
    try {
      const data = await call("/login", { method: "POST",
        body: { name: $("login-name").value, password: $("login-password").value } });
      csrf = data.csrf;
      show(true, data.staff);
      await refreshQueue();
    } catch (error) {
      $("login-error").textContent = error.message;
    }
  });
  $("logout").addEventListener("click", async () => {
    await call("/logout", { method: "POST" }).catch(() => null);
    csrf = null;
    current = null;
    show(false, "");
  });
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

  async function start() {
    const data = await call("/session").catch(() => ({}));
    csrf = data.csrf || null;
    show(Boolean(data.staff), data.staff || "");
    if (data.staff) await refreshQueue();
    setInterval(() => {
      if (!csrf) return;
      refreshQueue().catch(() => null);
      refreshConversation().catch(() => null);
    }, 3000);
  }
  start();
})();
