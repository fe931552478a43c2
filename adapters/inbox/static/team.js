// The accounts section (owners): list the staff accounts, add one, reset a password, remove one.
(function () {
  "use strict";
  const { t, call, $ } = window.KefuConsole;

  async function act(verb, body) {
    try {
      await call("/team/" + verb, { method: "POST", body: body });
      $("team-error").textContent = "";
      await refresh();
    } catch (error) {
      $("team-error").textContent = error.message;
    }
  }

  function button(label, handler) {
    const b = document.createElement("button");
    b.type = "button";
    b.textContent = label;
    b.addEventListener("click", handler);
    return b;
  }

  async function refresh() {
    const data = await call("/team/accounts");
    const rows = $("team-accounts");
    rows.replaceChildren();
    for (const account of data.accounts) {
      const tr = document.createElement("tr");
      for (const text of [account.name, account.role, account.created_at]) {
        const td = document.createElement("td");
        td.textContent = text;
        tr.append(td);
      }
      const actions = document.createElement("td");
      actions.append(
        button(t("Reset password", "重置密码"), () => {
          const password = prompt(t("New password for ", "新密码：") + account.name);
          if (password) act("reset", { name: account.name, password: password });
        }),
        button(t("Remove", "删除"), () => act("remove", { name: account.name })));
      tr.append(actions);
      rows.append(tr);
    }
  }

  window.KefuConsole.register("team", {
    start: () => {
      $("team-form").addEventListener("submit", async (event) => {
        event.preventDefault();
        await act("add", { name: $("team-name").value, role: $("team-role").value, password: $("team-password").value });
        $("team-password").value = "";
      });
    },
    show: refresh,
  });
})();
