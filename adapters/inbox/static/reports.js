// The reports section (owners): a date range's report, the numbers `kefu report` prints, with two
// charts drawn on <canvas> (handoff reasons, mood per day) and CSV / PNG downloads of the same report.
(function () {
  "use strict";
  const { t, call, $ } = window.KefuConsole;
  const LABELS = {
    from: ["From", "开始日期"], to: ["To", "结束日期"], channel: ["Channel", "渠道"], language: ["Language", "语言"],
    conversations: ["Conversations", "会话数"], automated: ["Resolved by the bot", "机器人独立解决"],
    automated_rate: ["Automated resolution rate", "自动解决率"], handed_off: ["Handed off", "转人工会话"],
    handoff_rate: ["Handoff rate", "转人工率"],
    first_response_p50_s: ["First response p50 (s)", "首次响应 p50（秒）"],
    first_response_p90_s: ["First response p90 (s)", "首次响应 p90（秒）"],
    resolution_p50_s: ["Handoff resolution p50 (s)", "人工处理时长 p50（秒）"],
    resolution_p90_s: ["Handoff resolution p90 (s)", "人工处理时长 p90（秒）"],
    deliveries_sent: ["Campaign messages sent", "营销消息已发送"], coupons_redeemed: ["Coupons redeemed", "优惠券已核销"],
    revenue_cents: ["Revenue with coupons (cents)", "用券订单金额（分）"],
    csat_asked: ["CSAT questions asked", "满意度评价邀请数"], csat_answered: ["CSAT answers", "满意度评价数"],
    csat_response_rate: ["CSAT response rate", "满意度回复率"], csat_average: ["CSAT average (1–5)", "满意度平均分（1–5）"],
  };
  const PREFIXES = { handoff_reason: ["Handoff reason: ", "转人工原因："], intent: ["Intent: ", "意图："],
    mood: ["Mood on ", "情绪 "], unanswered: ["Not answered: ", "未能回答："],
    low_score: ["Answered with a low score: ", "低分回答："],
    flow_started: ["Flow started: ", "流程开始："], flow_completed: ["Flow completed: ", "流程完成："],
    csat_score: ["CSAT answers with score ", "满意度评分为 "], csat_average: ["CSAT average, ", "满意度平均分，"],
    csat_answered: ["CSAT answers, ", "满意度评价数，"], csat_response_rate: ["CSAT response rate, ", "满意度回复率，"] };
  const QUESTIONS = ["unanswered", "low_score"];
  const REASONS = { asked: ["asked", "顾客要求"], upset: ["upset", "情绪不满"], low_confidence: ["low confidence", "没听懂"],
    policy_approval: ["policy approval", "需审批"], backend_cannot: ["backend cannot", "系统无法处理"], other: ["other", "其他"] };

  function label(metric) {
    if (LABELS[metric]) return t(...LABELS[metric]);
    const [prefix, rest] = [metric.slice(0, metric.indexOf(".")), metric.slice(metric.indexOf(".") + 1)];
    const words = PREFIXES[prefix];
    if (!words) return metric;
    return t(...words) + (prefix === "handoff_reason" && REASONS[rest] ? t(...REASONS[rest]) : rest.replace(".", " "));
  }

  function query() {
    const params = new URLSearchParams({ from: $("report-from").value, to: $("report-to").value });
    if ($("report-channel").value.trim()) params.set("channel", $("report-channel").value.trim());
    if ($("report-lang").value) params.set("lang", $("report-lang").value);
    return params.toString();
  }

  /** A link that opens the knowledge-base editor with the question filled in (the kb section). */
  function faqLink(question) {
    const link = document.createElement("a");
    link.className = "faq-link";
    link.href = "#kb?q=" + encodeURIComponent(question);
    link.textContent = t("write an FAQ article", "写一篇常见问题");
    return link;
  }

  /** "answered with ARTICLE (lowest score S)" beside a low-score group. */
  function lowScoreNote(group) {
    const note = document.createElement("span");
    note.className = "muted";
    note.textContent = t(" answered with ", " 回答所用文章 ") + group.article + t(", lowest score ", "，最低得分 ") + group.lowest;
    return note;
  }

  function showRows(report) {
    const rows = report.rows;
    const body = $("report-rows");
    body.replaceChildren();
    for (const [metric, value] of rows) {
      const tr = document.createElement("tr");
      tr.dataset.metric = metric;
      const name = document.createElement("td");
      name.textContent = label(metric);
      const cell = document.createElement("td");
      cell.className = "value";
      cell.textContent = value;
      const kind = metric.slice(0, metric.indexOf("."));
      if (QUESTIONS.includes(kind)) {
        const question = metric.slice(kind.length + 1);
        if (kind === "low_score") name.append(lowScoreNote(report.low_score[question]));
        name.append(" ", faqLink(question));
      }
      tr.append(name, cell);
      body.append(tr);
    }
  }

  function frame(canvas, title) {
    const ctx = canvas.getContext("2d");
    ctx.clearRect(0, 0, canvas.width, canvas.height);
    ctx.fillStyle = "#111827";
    ctx.font = "14px sans-serif";
    ctx.fillText(title, 10, 18);
    return ctx;
  }

  function drawReasons(report) {
    const canvas = $("report-reasons");
    const ctx = frame(canvas, t("Handoff reasons", "转人工原因"));
    const names = Object.keys(REASONS);
    const counts = names.map((name) => report.handoff_reasons[name] || 0);
    const most = Math.max(1, ...counts);
    ctx.font = "12px sans-serif";
    names.forEach((name, i) => {
      const y = 34 + i * 30;
      ctx.fillStyle = "#374151";
      ctx.fillText(t(...REASONS[name]), 10, y + 14);
      ctx.fillStyle = "#3b82f6";
      const width = Math.round((canvas.width - 180) * counts[i] / most);
      ctx.fillRect(130, y, width, 20);
      ctx.fillStyle = "#111827";
      ctx.fillText(String(counts[i]), 136 + width, y + 14);
    });
  }

  function drawMood(report) {
    const canvas = $("report-mood");
    const ctx = frame(canvas, t("Mood per day (−1 to 1)", "每日情绪（−1 到 1）"));
    const days = Object.keys(report.mood_by_day).sort();
    const top = 30, height = canvas.height - 60, left = 40, width = canvas.width - 60;
    const y = (mood) => top + (1 - mood) / 2 * height;
    ctx.strokeStyle = "#9ca3af";
    ctx.beginPath();
    ctx.moveTo(left, y(0));
    ctx.lineTo(left + width, y(0));
    ctx.stroke();
    ctx.strokeStyle = ctx.fillStyle = "#16a34a";
    ctx.beginPath();
    days.forEach((day, i) => {
      const x = left + (days.length > 1 ? i * width / (days.length - 1) : width / 2);
      if (i === 0) ctx.moveTo(x, y(report.mood_by_day[day])); else ctx.lineTo(x, y(report.mood_by_day[day]));
      ctx.fillRect(x - 3, y(report.mood_by_day[day]) - 3, 6, 6);
      ctx.fillText(day.slice(5), x - 14, canvas.height - 10);
    });
    ctx.stroke();
  }

  async function load() {
    $("report-error").textContent = "";
    const q = query();
    $("report-csv").href = "/staff/api/reports.csv?" + q;
    $("report-png").href = "/staff/api/reports.png?" + q;
    try {
      const report = await call("/reports?" + q);
      showRows(report);
      drawReasons(report);
      drawMood(report);
    } catch (error) {
      $("report-error").textContent = error.message;
    }
  }

  function start() {
    const today = new Date();
    const monthAgo = new Date(today.getTime() - 29 * 86400000);
    $("report-to").value = today.toISOString().slice(0, 10);
    $("report-from").value = monthAgo.toISOString().slice(0, 10);
    $("report-form").addEventListener("submit", (event) => { event.preventDefault(); load(); });
    load();
  }

  KefuConsole.register("reports", { start: start });
})();
