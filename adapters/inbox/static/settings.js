// The settings section (owners): every setting Kefu started with, read-only, as text; the meaning in
// the console's language.
(function () {
  "use strict";
  const { call, $, lang } = window.KefuConsole;

  async function refresh() {
    const data = await call("/settings");
    const body = $("settings-rows");
    body.replaceChildren();
    for (const row of data.settings) {
      const tr = document.createElement("tr");
      tr.dataset.variable = row.variable;
      for (const text of [row.variable, row.value, row.meaning[lang] || row.meaning.en]) {
        const td = document.createElement("td");
        td.textContent = text;
        tr.append(td);
      }
      body.append(tr);
    }
  }

  window.KefuConsole.register("settings", { show() { refresh().catch(() => null); } });
})();
