// The console's shell: language (zh/en), login, navigation between sections, and the API helper the
// sections share. A section's script registers itself with KefuConsole.register(name, {start, show}):
// start(context) runs once after login, show(params) each time the section is chosen; a link to
// "#name?key=value" chooses a section with those URLSearchParams (the reports' "write an FAQ article").
// Plain DOM (textContent only: shopper text is never parsed as HTML).
(function () {
  "use strict";
  const api = "/staff/api";
  const $ = (id) => document.getElementById(id);
  const stored = localStorage.getItem("kefu-console-lang");
  const lang = stored || ((navigator.language || "").toLowerCase().startsWith("zh") ? "zh" : "en");
  const sections = {};
  const started = new Set();
  let csrf = null;
  let session = null;

  /** The string of the console's language. */
  function t(en, zh) {
    return lang === "zh" ? zh : en;
  }

  /** Call the console API; POST bodies go as JSON with the CSRF token. Throws Error(message) on failure. */
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

  /** Put the zh text of the static markup in place (data-zh, data-zh-placeholder). */
  function translate(root) {
    if (lang !== "zh") return;
    for (const el of root.querySelectorAll("[data-zh]")) el.textContent = el.dataset.zh;
    for (const el of root.querySelectorAll("[data-zh-placeholder]")) el.placeholder = el.dataset.zhPlaceholder;
  }

  function choose(name, params) {
    for (const el of document.querySelectorAll("#console > .section")) el.hidden = el.dataset.section !== name;
    for (const button of $("nav").querySelectorAll("button")) {
      button.classList.toggle("selected", button.dataset.section === name);
    }
    const section = sections[name];
    if (!section) return;
    if (!started.has(name)) {
      started.add(name);
      if (section.start) section.start({ session: session });
    }
    if (section.show) section.show(params || new URLSearchParams());
  }

  /** The section and its parameters a location hash names ("#kb?q=…"). */
  function fromHash() {
    const hash = location.hash.slice(1);
    const at = hash.indexOf("?");
    return at < 0 ? [hash, new URLSearchParams()] : [hash.slice(0, at), new URLSearchParams(hash.slice(at + 1))];
  }

  function show(data) {
    session = data && data.staff ? data : null;
    csrf = session ? session.csrf : null;
    $("login").hidden = Boolean(session);
    $("console").hidden = !session;
    $("logout").hidden = !session;
    $("nav").hidden = !session;
    $("who").textContent = session ? t("Logged in as ", "已登录：") + session.staff : "";
    const notice = session && session.notice;
    $("notice").hidden = !notice;
    $("notice").textContent = notice ? notice[lang] || notice.en : "";
    const nav = $("nav");
    nav.replaceChildren();
    started.clear();
    if (!session) return;
    for (const item of session.sections) {
      const button = document.createElement("button");
      button.type = "button";
      button.dataset.section = item.name;
      button.textContent = item.title[lang] || item.title.en;
      button.addEventListener("click", () => {  // a new hash chooses it through "hashchange"
        if (location.hash === "#" + item.name) choose(item.name); else location.hash = item.name;
      });
      nav.append(button);
    }
    const [wanted, params] = fromHash();
    const names = session.sections.map((item) => item.name);
    choose(names.includes(wanted) ? wanted : names[0], params);
  }

  window.addEventListener("hashchange", () => {
    const [wanted, params] = fromHash();
    if (session && session.sections.some((item) => item.name === wanted)) choose(wanted, params);
  });

  $("login").addEventListener("submit", async (event) => {
    event.preventDefault();
    $("login-error").textContent = "";
    try {
      show(await call("/login", { method: "POST",
        body: { name: $("login-name").value, password: $("login-password").value } }));
      $("login-password").value = "";
    } catch (error) {
      $("login-error").textContent = error.message;
    }
  });
  $("logout").addEventListener("click", async () => {
    await call("/logout", { method: "POST" }).catch(() => null);
    show(null);
  });
  $("language").textContent = lang === "zh" ? "English" : "中文";
  $("language").addEventListener("click", () => {
    localStorage.setItem("kefu-console-lang", lang === "zh" ? "en" : "zh");
    location.reload();
  });

  window.KefuConsole = {
    lang: lang,
    t: t,
    call: call,
    $: $,
    /** Whether someone is logged in (sections stop polling when not). */
    loggedIn: () => Boolean(session),
    register: (name, section) => { sections[name] = section; },
  };

  document.addEventListener("DOMContentLoaded", async () => {
    document.documentElement.lang = lang === "zh" ? "zh-CN" : "en";
    translate(document);
    show(await call("/session").catch(() => null));
  });
})();
