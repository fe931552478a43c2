// The settings section (owners): every setting Kefu started with, read-only, as text.
(function () {
  "use strict";
  const { call, $ } = window.KefuConsole;

  async function refresh() {
    const data = await call("/settings");
    const body = $("settings-rows");
    body.replaceChildren();
    for (const row of data.settings) {
      const tr = document.createElement("tr");
      tr.dataset.variable = row.variable;
      for (const text of [row.variable, row.value, row.meaning]) {
        const td = document.createElement("td");
        td.textContent = text;
        tr.append(td);
      }
      body.append(tr);
    }
  }

  window.KefuConsole.register("settings", { show() { refresh().catch(() => null); } });
})();
