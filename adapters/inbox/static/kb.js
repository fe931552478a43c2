// The knowledge-base section (owners): list articles, add / edit / retire them, test a question against
// the bot's own retrieval (what it would answer, and each article's score). Opened as "#kb?q=QUESTION"
// (a report's "write an FAQ article"), it starts a new article titled with the question, in its language,
// and puts the question in the test box.
(function () {
  "use strict";
  const { t, call, $ } = window.KefuConsole;
  const fields = ["en-title", "en-body", "zh-title", "zh-body"];

  function edit(article) {
    $("kb-id").value = article ? article.id : "";
    $("kb-topic").value = article ? article.topic || "" : "";
    for (const name of fields) {
      const [lang, part] = name.split("-");
      $("kb-" + name).value = article && article[lang] ? article[lang][part === "title" ? "title" : "body"] : "";
    }
    $("kb-retire").hidden = !article;
    $("kb-error").textContent = "";
    $("kb-saved").textContent = "";
  }

  async function refresh() {
    const data = await call("/kb/articles");
    const list = $("kb-articles");
    list.replaceChildren();
    for (const article of data.articles) {
      const li = document.createElement("li");
      const button = document.createElement("button");
      button.type = "button";
      const version = article.en || article.zh || { title: article.id };
      button.textContent = version.title + (article.zh ? " / " + article.zh.title : "");
      button.addEventListener("click", () => edit(article));
      li.append(button);
      list.append(li);
    }
  }

  async function save(event) {
    event.preventDefault();
    const body = { id: $("kb-id").value || null, topic: $("kb-topic").value.trim(),
      en: { title: $("kb-en-title").value, body: $("kb-en-body").value },
      zh: { title: $("kb-zh-title").value, body: $("kb-zh-body").value } };
    try {
      const saved = await call("/kb/articles", { method: "POST", body: body });
      $("kb-id").value = saved.id;
      $("kb-retire").hidden = false;
      $("kb-error").textContent = "";
      $("kb-saved").textContent = t("Saved: the bot answers with it now.", "已保存：机器人现在就会用它回答。");
      await refresh();
    } catch (error) {
      $("kb-error").textContent = error.message;
    }
  }

  async function retire() {
    try {
      await call("/kb/retire", { method: "POST", body: { id: $("kb-id").value } });
      edit(null);
      await refresh();
    } catch (error) {
      $("kb-error").textContent = error.message;
    }
  }

  async function test(event) {
    event.preventDefault();
    const data = await call("/kb/test", { method: "POST", body: { question: $("kb-question").value, lang: $("kb-lang").value } });
    $("kb-answer").textContent = data.answer
      ? t("The bot answers: ", "机器人会回答：") + data.answer.title + " — " + data.answer.body
      : t("No article scores ", "没有文章达到") + data.min_score + t(": the bot says it is not sure and offers a colleague.",
        "：机器人会说不确定并转人工。");
    const hits = $("kb-hits");
    hits.replaceChildren();
    for (const hit of data.hits) {
      const li = document.createElement("li");
      li.textContent = hit.title + " — " + t("score ", "得分 ") + hit.score;
      hits.append(li);
    }
  }

  /** A new article for a shopper's question: its title in the question's language, the test box filled. */
  function draft(question) {
    edit(null);
    const lang = /[\u3400-\u9fff]/.test(question) ? "zh" : "en";
    $("kb-" + lang + "-title").value = question;
    $("kb-question").value = question;
    $("kb-lang").value = lang;
    $("kb-" + lang + "-body").focus();
  }

  window.KefuConsole.register("kb", {
    start: () => {
      $("kb-form").addEventListener("submit", save);
      $("kb-new").addEventListener("click", () => edit(null));
      $("kb-retire").addEventListener("click", retire);
      $("kb-test").addEventListener("submit", test);
      edit(null);
    },
    show(params) {
      if (params.get("q")) draft(params.get("q").slice(0, 200));
      refresh().catch(() => null);
    },
  });
})();
