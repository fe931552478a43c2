// The review section: the day's sample, a read-only transcript, good / bad with a reason for each bot
// reply, and a wrong-intent review turned into a training example. Also opened by other sections
// (search) through KefuConsole.openReview(conversationId).
(function () {
  "use strict";
  const { t, call, $ } = window.KefuConsole;
  const REASONS = { wrong_fact: ["wrong fact", "事实错误"], wrong_intent: ["wrong intent", "意图识别错误"],
    tone: ["tone", "语气不当"], should_hand_off: ["should have handed off", "应转人工"] };
  let current = null;
  let reply = null;
  let savedReview = null;

  async function refreshQueue() {
    const data = await call("/review/queue");
    const list = $("review-queue");
    list.replaceChildren();
    $("review-queue-empty").hidden = data.conversations.length > 0;
    for (const item of data.conversations) {
      const li = document.createElement("li");
      const button = document.createElement("button");
      button.type = "button";
      button.dataset.conversation = item.id;
      button.textContent = item.channel + " · " + (item.language || "-") + " · " + item.updated_at.slice(0, 16);
      button.addEventListener("click", () => open(item.id));
      li.append(button);
      list.append(li);
    }
  }

  async function loadIntents() {
    const data = await call("/review/intents");
    const select = $("review-intent");
    for (const intent of data.intents) {
      const option = document.createElement("option");
      option.value = intent;
      option.textContent = intent;
      select.append(option);
    }
  }

  function verdictText(review) {
    const reason = REASONS[review.reason];
    return review.reviewer + ": " + (review.verdict === "good" ? t("good", "好") : t("bad", "差")) +
      (reason ? " (" + t(reason[0], reason[1]) + (review.right_intent ? " → " + review.right_intent : "") + ")" : "");
  }

  async function open(conversationId) {
    current = conversationId;
    reply = null;
    $("review-conversation").hidden = false;
    $("review-form").hidden = true;
    $("review-error").textContent = "";
    $("review-status").textContent = "";
    await refreshTranscript();
  }

  /** Show the review section with one conversation open (for other sections, e.g. search). */
  async function openFromElsewhere(conversationId) {
    const nav = document.querySelector("#nav button[data-section=review]");
    if (nav) nav.click();
    await open(conversationId);
  }

  async function refreshTranscript() {
    const data = await call("/review/conversations/" + encodeURIComponent(current));
    const byReply = {};
    for (const review of data.reviews) (byReply[review.message_id] = byReply[review.message_id] || []).push(review);
    const list = $("review-transcript");
    list.replaceChildren();
    for (const line of data.messages) {
      const li = document.createElement("li");
      li.className = line.author === "shopper" || line.author === "assistant" ? line.author : "staff";
      li.dataset.message = line.id;
      const author = document.createElement("span");
      author.className = "author";
      author.textContent = line.author;
      li.append(author, document.createTextNode(line.text));
      if (line.reviewable) {
        const button = document.createElement("button");
        button.type = "button";
        button.className = "review-this";
        button.textContent = t("Review", "评审");
        button.addEventListener("click", () => choose(line));
        li.append(" ", button);
        for (const review of byReply[line.id] || []) {
          const mark = document.createElement("div");
          mark.className = "muted review-mark";
          mark.textContent = verdictText(review);
          li.append(mark);
        }
      }
      list.append(li);
    }
  }

  function choose(line) {
    reply = line;
    savedReview = null;
    $("review-reply").textContent = line.text;
    $("review-note").value = "";
    $("review-reason").value = "";
    $("review-intent").value = line.read_intent || "";
    $("review-example").hidden = true;
    $("review-form").hidden = false;
    syncIntent();
  }

  function syncIntent() {
    $("review-intent").hidden = $("review-reason").value !== "wrong_intent";
  }

  $("review-reason").addEventListener("change", syncIntent);
  $("review-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    $("review-error").textContent = "";
    const verdict = document.querySelector("input[name=review-verdict]:checked").value;
    const reason = verdict === "bad" ? $("review-reason").value : "";
    const body = { verdict: verdict, reason: reason || null, note: $("review-note").value,
      right_intent: reason === "wrong_intent" ? ($("review-intent").value || null) : null };
    try {
      const saved = await call("/review/conversations/" + encodeURIComponent(current) + "/replies/" + reply.id,
        { method: "POST", body: body });
      savedReview = saved.id;
      $("review-status").textContent = t("Review saved.", "评审已保存。");
      $("review-example").hidden = !body.right_intent;
      await refreshTranscript();
    } catch (error) {
      $("review-error").textContent = error.message;
    }
  });
  $("review-example").addEventListener("click", async () => {
    $("review-error").textContent = "";
    try {
      const added = await call("/review/reviews/" + savedReview + "/example", { method: "POST" });
      $("review-status").textContent = added.added
        ? t("Added to the shop's NLU examples; run kefu train to use it.", "已加入店铺的意图训练样本；运行 kefu train 后生效。")
        : t("This example is already in the shop's data.", "店铺数据里已有这个样本。");
      $("review-example").hidden = true;
    } catch (error) {
      $("review-error").textContent = error.message;
    }
  });

  window.KefuConsole.openReview = openFromElsewhere;
  window.KefuConsole.register("review", {
    start() {
      loadIntents().catch(() => null);
    },
    show() {
      refreshQueue().catch(() => null);
    },
  });
})();
