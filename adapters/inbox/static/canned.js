// The owners' canned replies: list, add, edit (click one to load it in the form), delete.
(function () {
  "use strict";
  const { t, call, $ } = window.KefuConsole;
  let editing = null;  // the id of the canned reply in the form, null for a new one

  function load(reply) {
    editing = reply ? reply.id : null;
    $("canned-title").value = reply ? reply.title : "";
    $("canned-en").value = reply ? reply.text_en : "";
    $("canned-zh").value = reply ? reply.text_zh : "";
  }

  async function refresh() {
    const data = await call("/canned");
    const list = $("canned-list");
    list.replaceChildren();
    for (const reply of data.canned) {
      const li = document.createElement("li");
      const edit = document.createElement("button");
      edit.type = "button";
      edit.textContent = reply.title;
      edit.addEventListener("click", () => load(reply));
      const remove = document.createElement("button");
      remove.type = "button";
      remove.textContent = t("Delete", "删除");
      remove.addEventListener("click", () => save("/canned/" + reply.id + "/delete", {}));
      const by = document.createElement("span");
      by.className = "muted";
      by.textContent = " " + reply.updated_by + " · " + reply.updated_at.slice(0, 10) + " ";
      li.append(edit, by, remove);
      list.append(li);
    }
  }

  async function save(path, body) {
    $("canned-error").textContent = "";
    try {
      await call(path, { method: "POST", body: body });
      load(null);
    } catch (error) {
      $("canned-error").textContent = error.message;
    }
    await refresh();
  }

  $("canned-new").addEventListener("click", () => load(null));
  $("canned-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const body = { title: $("canned-title").value, text_en: $("canned-en").value, text_zh: $("canned-zh").value };
    save(editing === null ? "/canned" : "/canned/" + editing + "/edit", body);
  });

  window.KefuConsole.register("canned", {
    start() {},
    show() { refresh().catch(() => null); },
  });
})();
