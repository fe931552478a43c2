// The search section: words and filters, results with the matched words highlighted (DOM spans over
// text, never markup from the data); a result opens the conversation read-only in the review section.
(function () {
  "use strict";
  const { t, call, $ } = window.KefuConsole;

  function highlighted(snippet) {
    const p = document.createElement("p");
    p.className = "snippet";
    let at = 0;
    if (snippet.cut_start) p.append("…");
    for (const [start, end] of snippet.marks) {
      p.append(document.createTextNode(snippet.text.slice(at, start)));
      const mark = document.createElement("mark");
      mark.textContent = snippet.text.slice(start, end);
      p.append(mark);
      at = end;
    }
    p.append(document.createTextNode(snippet.text.slice(at)));
    if (snippet.cut_end) p.append("…");
    return p;
  }

  async function search() {
    $("search-error").textContent = "";
    const params = new URLSearchParams({ q: $("search-q").value.trim() });
    for (const [name, id] of [["channel", "search-channel"], ["language", "search-language"],
      ["mood", "search-mood"], ["handed_off", "search-handed"]]) {
      if ($(id).value) params.set(name, $(id).value);
    }
    const list = $("search-results");
    list.replaceChildren();
    let data;
    try {
      data = await call("/search?" + params.toString());
    } catch (error) {
      $("search-error").textContent = error.message;
      return;
    }
    $("search-empty").hidden = data.results.length > 0;
    for (const result of data.results) {
      const li = document.createElement("li");
      const button = document.createElement("button");
      button.type = "button";
      button.dataset.conversation = result.conversation_id;
      const meta = document.createElement("div");
      meta.className = "muted";
      meta.textContent = result.channel + " · " + (result.language || "-") + " · " + t("mood ", "情绪 ") +
        result.mood + (result.handed_off ? " · " + t("handed off", "转过人工") : "") + " · " +
        result.updated_at.slice(0, 16);
      button.append(meta, highlighted(result.snippet));
      button.addEventListener("click", () => window.KefuConsole.openReview(result.conversation_id));
      li.append(button);
      list.append(li);
    }
  }

  $("search-form").addEventListener("submit", (event) => {
    event.preventDefault();
    search();
  });
  window.KefuConsole.register("search", { show() { $("search-q").focus(); } });
})();
