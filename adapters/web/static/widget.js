/*
 * Kefu chat widget — vanilla JS, no build step, no external resources.
 *
 * Embed:  <script src="https://kefu.example.com/static/widget.js" defer></script>
 * Options (data-* attributes on that script tag):
 *   data-server     base URL of the Kefu server (default: where widget.js was loaded from)
 *   data-open       "true" to show the chat panel open on page load
 *   data-title-zh   panel title for Chinese-speaking shoppers
 *   data-title-en   panel title for English-speaking shoppers
 *   data-accent     accent colour, e.g. "#0f766e"
 *
 * Protocol: docs/WEB_CHAT.md. Shopper and bot text is only ever set with textContent.
 * A reply carrying a data-export link (/privacy) gets a Download button: the file is fetched
 * from the Kefu server with this chat's session, so the link works only in this chat.
 */
(function () {
  "use strict";

  const script = document.currentScript;
  const config = readConfig(script);
  const LANG = browserLanguage();
  const STORE_KEYS = { session: "kefu.session", history: "kefu.history", open: "kefu.open" };
  const HISTORY_LIMIT = 60;
  const TYPING_TIMEOUT_MS = 15000;
  const MAX_TEXT = 4000;
  const EXPORT_LINK = /\/privacy\/export\/([A-Za-z0-9_-]{43})/;
  const PLACEHOLDER_IMG = "data:image/svg+xml;charset=utf-8," + encodeURIComponent(
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 120 90">' +
    '<rect width="120" height="90" fill="#eef0f3"/>' +
    '<path d="M45 35h30l4 30H41z" fill="none" stroke="#b4bac4" stroke-width="3" stroke-linejoin="round"/>' +
    '<path d="M52 35v-3a8 8 0 0 1 16 0v3" fill="none" stroke="#b4bac4" stroke-width="3"/></svg>');

  const TEXT = {
    zh: { title: "在线客服", online: "在线 · 通常几秒内回复", connecting: "正在连接…",
          placeholder: "输入消息，按 Enter 发送", send: "发送", open: "打开在线客服", close: "收起",
          intro: "您好！可以问我商品、订单、配送或退换货的问题。", typing: "客服正在输入",
          download: "下载我的数据", downloadFailed: "下载失败，请稍后再试。" },
    en: { title: "Chat with us", online: "Online · replies in seconds", connecting: "Connecting…",
          placeholder: "Type a message, Enter to send", send: "Send", open: "Open chat", close: "Minimise",
          intro: "Hi! Ask me about products, orders, delivery or returns.", typing: "Assistant is typing",
          download: "Download my data", downloadFailed: "The download failed. Please try again." },
  };
  const T = TEXT[LANG || "en"];

  /* ---------------------------------------------------------------- config -- */

  function readConfig(el) {
    const data = (el && el.dataset) || {};
    const src = (el && el.src) || window.location.href;
    const base = new URL(data.server || new URL("..", src).href, window.location.href);
    if (!base.pathname.endsWith("/")) base.pathname += "/";
    return {
      base: base,
      css: new URL("static/widget.css", base).href,
      open: data.open === "true",
      titles: { zh: data.titleZh, en: data.titleEn },
      accent: data.accent || null,
    };
  }

  function browserLanguage() {
    const lang = (navigator.language || "").toLowerCase();
    if (lang.startsWith("zh")) return "zh";
    if (lang.startsWith("en")) return "en";
    return null;
  }

  function socketUrl() {
    const url = new URL("ws", config.base);
    url.protocol = url.protocol === "https:" ? "wss:" : "ws:";
    return url.href;
  }

  /* --------------------------------------------------------------- storage -- */

  function load(key, fallback) {
    try {
      const value = window.localStorage.getItem(key);
      return value === null ? fallback : JSON.parse(value);
    } catch (e) {
      return fallback;
    }
  }

  function save(key, value) {
    try {
      window.localStorage.setItem(key, JSON.stringify(value));
    } catch (e) { /* storage full or disabled: the chat still works */ }
  }

  function remember(entry) {
    const history = load(STORE_KEYS.history, []);
    history.push(entry);
    save(STORE_KEYS.history, history.slice(-HISTORY_LIMIT));
  }

  /* ------------------------------------------------------------------- DOM -- */

  function el(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  function buildWidget() {
    const root = el("div", "kefu-root");
    if (config.accent) root.style.setProperty("--kefu-accent", config.accent);
    const launcher = el("button", "kefu-launcher");
    launcher.type = "button";
    launcher.setAttribute("aria-label", T.open);
    launcher.appendChild(icon("M4 5h16v10H8l-4 4z"));

    const panel = el("section", "kefu-panel");
    panel.setAttribute("role", "dialog");
    panel.setAttribute("aria-label", T.title);

    const header = el("header", "kefu-header");
    header.appendChild(el("div", "kefu-avatar", LANG === "zh" ? "客" : "K"));
    const heading = el("div", "kefu-heading");
    heading.appendChild(el("div", "kefu-title", config.titles[LANG || "en"] || config.titles.en || T.title));
    const status = el("div", "kefu-status", T.connecting);
    heading.appendChild(status);
    header.appendChild(heading);
    const close = el("button", "kefu-close");
    close.type = "button";
    close.setAttribute("aria-label", T.close);
    close.appendChild(icon("M6 9l6 6 6-6"));
    header.appendChild(close);

    const log = el("div", "kefu-log");
    log.setAttribute("role", "log");
    log.setAttribute("aria-live", "polite");
    log.appendChild(el("div", "kefu-intro", T.intro));

    const form = el("form", "kefu-composer");
    const input = el("textarea", "kefu-input");
    input.rows = 1;
    input.maxLength = MAX_TEXT;
    input.placeholder = T.placeholder;
    input.setAttribute("aria-label", T.placeholder);
    const send = el("button", "kefu-send");
    send.type = "submit";
    send.setAttribute("aria-label", T.send);
    send.appendChild(icon("M4 12l16-8-6 16-2-7z"));
    form.appendChild(input);
    form.appendChild(send);

    panel.appendChild(header);
    panel.appendChild(log);
    panel.appendChild(form);
    root.appendChild(panel);
    root.appendChild(launcher);
    return { root, launcher, panel, close, status, log, form, input };
  }

  function icon(path) {
    const ns = "http://www.w3.org/2000/svg";
    const svg = document.createElementNS(ns, "svg");
    svg.setAttribute("viewBox", "0 0 24 24");
    svg.setAttribute("aria-hidden", "true");
    const p = document.createElementNS(ns, "path");
    p.setAttribute("d", path);
    svg.appendChild(p);
    return svg;
  }

  function ensureStylesheet() {
    if (document.querySelector('link[data-kefu-css]')) return;
    const link = document.createElement("link");
    link.rel = "stylesheet";
    link.href = config.css;
    link.setAttribute("data-kefu-css", "");
    document.head.appendChild(link);
  }

  /* ------------------------------------------------------------- rendering -- */

  function scrollToEnd() {
    ui.log.scrollTop = ui.log.scrollHeight;
  }

  function append(node) {
    const typing = ui.log.querySelector(".kefu-typing");
    ui.log.insertBefore(node, typing);
    scrollToEnd();
  }

  function renderMine(text) {
    clearQuickReplies();
    append(el("div", "kefu-msg kefu-msg--me", text));
  }

  /* A reply being written: its text so far in one bubble, replaced by the whole reply when it comes. */
  function renderPartial(frame) {
    let bubble = ui.log.querySelector('.kefu-group[data-stream="' + CSS.escape(frame.stream) + '"] .kefu-msg');
    if (!bubble) {
      const group = el("div", "kefu-group");
      group.dataset.stream = frame.stream;
      if (frame.language) group.lang = frame.language === "zh" ? "zh-CN" : "en";
      bubble = el("div", "kefu-msg kefu-msg--bot", "");
      group.appendChild(bubble);
      append(group);
    }
    bubble.textContent = frame.text || "";
    scrollToEnd();
  }

  function renderReply(reply) {
    const partial = reply.stream &&
      ui.log.querySelector('.kefu-group[data-stream="' + CSS.escape(reply.stream) + '"]');
    const group = el("div", "kefu-group");
    if (reply.text) group.appendChild(el("div", "kefu-msg kefu-msg--bot", reply.text));
    const exportLink = EXPORT_LINK.exec(reply.text || "");
    if (exportLink) group.appendChild(downloadButton(exportLink[1]));
    if (reply.cards && reply.cards.length) group.appendChild(renderCards(reply.cards));
    if (reply.buttons && reply.buttons.length) group.appendChild(renderQuickReplies(reply.buttons));
    if (reply.language) group.lang = reply.language === "zh" ? "zh-CN" : "en";
    if (partial) partial.replaceWith(group);
    else append(group);
  }

  function renderCards(cards) {
    const row = el("div", "kefu-cards");
    cards.forEach(function (card) { row.appendChild(renderCard(card)); });
    return row;
  }

  function renderCard(card) {
    const node = el("article", "kefu-card");
    const img = el("img", "kefu-card__img");
    img.alt = card.title || "";
    img.loading = "lazy";
    img.addEventListener("error", function () { img.src = PLACEHOLDER_IMG; }, { once: true });
    img.src = safeImageUrl(card.image_url) || PLACEHOLDER_IMG;
    node.appendChild(img);
    const body = el("div", "kefu-card__body");
    body.appendChild(el("div", "kefu-card__title", card.title));
    if (card.subtitle) body.appendChild(el("div", "kefu-card__subtitle", card.subtitle));
    body.appendChild(el("div", "kefu-card__price", card.price));
    const actions = el("div", "kefu-card__actions");
    (card.buttons || []).forEach(function (b) { actions.appendChild(actionButton(b, "kefu-card__button")); });
    body.appendChild(actions);
    node.appendChild(body);
    return node;
  }

  function renderQuickReplies(buttons) {
    const row = el("div", "kefu-quick");
    buttons.forEach(function (b) { row.appendChild(actionButton(b, "kefu-chip")); });
    return row;
  }

  function actionButton(button, className) {
    const node = el("button", className, button.label);
    node.type = "button";
    node.addEventListener("click", function () { sendButton(button.label, button.payload); });
    return node;
  }

  function downloadButton(token) {
    const node = el("button", "kefu-chip kefu-download", T.download);
    node.type = "button";
    node.addEventListener("click", function () { downloadExport(token); });
    return node;
  }

  /* The export is fetched with this chat's session (the server refuses the link anywhere else)
   * and saved from a blob; a refusal (used, expired) is shown as a note in the chat. */
  function downloadExport(token) {
    const url = new URL("privacy/export/" + encodeURIComponent(token), config.base);
    fetch(url.href, { method: "POST", headers: { "X-Kefu-Session": load(STORE_KEYS.session, "") } })
      .then(function (response) {
        if (!response.ok) return response.text().then(function (text) { renderNote(text || T.downloadFailed); });
        const disposition = response.headers.get("Content-Disposition") || "";
        const name = (/filename="([^"]+)"/.exec(disposition) || [])[1] || "kefu-my-data.json";
        return response.blob().then(function (blob) { saveFile(blob, name); });
      })
      .catch(function () { renderNote(T.downloadFailed); });
  }

  function saveFile(blob, name) {
    const href = URL.createObjectURL(blob);
    const link = el("a");
    link.href = href;
    link.download = name;
    document.body.appendChild(link);
    link.click();
    link.remove();
    setTimeout(function () { URL.revokeObjectURL(href); }, 10000);
  }

  /* The shopper's data was erased: forget the stored conversation, keep only the last reply
   * (which says so) on screen, and carry on as the new session the server gave. */
  function forgetConversation(session, lastReply) {
    save(STORE_KEYS.session, session);
    save(STORE_KEYS.history, lastReply ? [{ reply: lastReply }] : []);
    ui.log.querySelectorAll(".kefu-group, .kefu-msg--me, .kefu-note").forEach(function (node) { node.remove(); });
    if (lastReply) renderReply(lastReply);
  }

  function clearQuickReplies() {
    ui.log.querySelectorAll(".kefu-quick").forEach(function (row) { row.remove(); });
  }

  function renderNote(text) {
    append(el("div", "kefu-note", text));
  }

  function safeImageUrl(url) {
    if (typeof url !== "string" || !url) return null;
    try {
      const parsed = new URL(url, config.base);
      return parsed.protocol === "http:" || parsed.protocol === "https:" ? parsed.href : null;
    } catch (e) {
      return null;
    }
  }

  let typingTimer = null;

  function showTyping() {
    if (!ui.log.querySelector(".kefu-typing")) {
      const bubble = el("div", "kefu-msg kefu-msg--bot kefu-typing");
      bubble.setAttribute("aria-label", T.typing);
      for (let i = 0; i < 3; i++) bubble.appendChild(el("span", "kefu-dot", "."));
      ui.log.appendChild(bubble);
      scrollToEnd();
    }
    clearTimeout(typingTimer);
    typingTimer = setTimeout(hideTyping, TYPING_TIMEOUT_MS);
  }

  function hideTyping() {
    clearTimeout(typingTimer);
    const bubble = ui.log.querySelector(".kefu-typing");
    if (bubble) bubble.remove();
  }

  function restoreHistory() {
    load(STORE_KEYS.history, []).forEach(function (entry) {
      if (entry.me) renderMine(entry.me);
      else if (entry.reply) renderReply(entry.reply);
    });
  }

  /* ------------------------------------------------------------ connection -- */

  let socket = null;
  let lastReply = null;
  let ready = false;
  let attempt = 0;
  const outbox = [];  // frames typed while offline
  const inflight = new Map();  // id → frame sent but not answered yet: resent after a reconnect
  const MAX_INFLIGHT = 20;  // a message can go unanswered (a colleague owns the chat): forget the oldest

  function connect() {
    ready = false;
    setStatus(T.connecting);
    socket = new WebSocket(socketUrl());
    socket.addEventListener("open", function () {
      socket.send(JSON.stringify({ type: "hello", session: load(STORE_KEYS.session, ""), lang: LANG }));
    });
    socket.addEventListener("message", function (event) { onFrame(JSON.parse(event.data)); });
    socket.addEventListener("close", scheduleReconnect);
  }

  function scheduleReconnect() {
    ready = false;
    hideTyping();
    setStatus(T.connecting);
    const delay = Math.min(30000, 500 * Math.pow(2, attempt)) * (0.75 + Math.random() * 0.5);
    attempt += 1;
    setTimeout(connect, delay);
  }

  function onFrame(frame) {
    if (frame.type === "welcome") {
      save(STORE_KEYS.session, frame.session);
      ready = true;
      attempt = 0;
      setStatus(T.online);
      inflight.forEach(function (sent) { socket.send(JSON.stringify(sent)); });  // answered once (same id)
      while (outbox.length) send(outbox.shift());
    } else if (frame.type === "typing") {
      showTyping();
    } else if (frame.type === "partial") {
      hideTyping();
      renderPartial(frame);
    } else if (frame.type === "reply") {
      if (frame.in_reply_to) inflight.delete(frame.in_reply_to);
      hideTyping();
      renderReply(frame);
      remember({ reply: frame });
      lastReply = frame;
    } else if (frame.type === "erased") {
      forgetConversation(frame.session, lastReply);
    } else if (frame.type === "error") {
      hideTyping();
      renderNote(frame.error);
    }
  }

  function transmit(frame) {
    if (ready && socket && socket.readyState === WebSocket.OPEN) send(frame);
    else outbox.push(frame);
  }

  function send(frame) {
    socket.send(JSON.stringify(frame));
    inflight.set(frame.id, frame);
    if (inflight.size > MAX_INFLIGHT) inflight.delete(inflight.keys().next().value);
  }

  function messageId() {
    const random = new Uint32Array(2);
    window.crypto.getRandomValues(random);
    return Date.now().toString(36) + "-" + random[0].toString(36) + random[1].toString(36);
  }

  function sendText(text) {
    renderMine(text);
    remember({ me: text });
    transmit({ type: "message", text: text, id: messageId() });
  }

  function sendButton(label, payload) {
    renderMine(label);
    remember({ me: label });
    transmit({ type: "button", payload: payload, label: label, id: messageId() });
  }

  function setStatus(text) {
    ui.status.textContent = text;
    ui.root.classList.toggle("kefu-root--offline", text !== T.online);
  }

  /* ---------------------------------------------------------------- wiring -- */

  function setOpen(open) {
    ui.root.classList.toggle("kefu-root--open", open);
    ui.launcher.setAttribute("aria-expanded", String(open));
    save(STORE_KEYS.open, open);
    if (open) {
      scrollToEnd();
      ui.input.focus({ preventScroll: true });
    }
  }

  function submit() {
    const text = ui.input.value.trim();
    if (!text) return;
    ui.input.value = "";
    autosize();
    sendText(text);
  }

  function autosize() {
    ui.input.style.height = "auto";
    ui.input.style.height = Math.min(ui.input.scrollHeight, 120) + "px";
  }

  ensureStylesheet();
  const ui = buildWidget();
  document.body.appendChild(ui.root);
  restoreHistory();
  setOpen(load(STORE_KEYS.open, config.open));
  ui.launcher.addEventListener("click", function () { setOpen(!ui.root.classList.contains("kefu-root--open")); });
  ui.close.addEventListener("click", function () { setOpen(false); });
  ui.form.addEventListener("submit", function (event) { event.preventDefault(); submit(); });
  ui.input.addEventListener("input", autosize);
  ui.input.addEventListener("keydown", function (event) {
    // Enter sends; Shift+Enter is a new line; Enter that confirms an IME (pinyin) choice does neither.
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing && event.keyCode !== 229) {
      event.preventDefault();
      submit();
    }
  });
  connect();
})();
