// 질문 → POST /api/v1/ask → 답(첫 문단), 근거, 수치 표, 인용(원문 열기), 근거 행, 대화 기록을 그립니다. 외부 라이브러리 없음(오프라인).
"use strict";

const $ = (id) => document.getElementById(id);
const COLUMN_LABELS = {
  table: "표", name: "이름", program: "사업", section: "섹션", line_start: "시작 줄", line_end: "끝 줄", level: "수준",
  parent: "상위 항목", year: "연도", year_prev: "전년도", amount: "예산현액(천원)", amount_prev: "전년 예산현액(천원)", change: "증감액(천원)",
  change_rate: "증감률(%)", executed: "집행액(천원)", execution_rate: "집행률(%)", budget: "예산현액(천원)", committed: "집행액(원인행위, 천원)",
  spent: "지출액(천원)", committed_rate: "집행률(원인행위, %)", spent_rate: "집행률(지출액, %)", forecast: "연말 집행예상액(천원)",
  forecast_rate: "연말 예상 집행률(%)", budget_line: "예산 항목", note: "비고", mode: "방식", competency_group: "역량군",
  subcategory: "세부구분", planned_courses: "계획 과정수", planned_sessions: "계획 횟수", planned_people: "계획 인원",
  actual_courses: "실적 과정수", actual_sessions: "실적 횟수", actual_people: "실적 인원", participation_rate: "참여율(%)",
  satisfaction: "만족도", kind: "구분", seq: "번호", department: "부서", request: "요구사항", status: "추진상황",
  actions: "추진내용", plans: "향후계획", audit_year: "감사 연도", total: "계", done: "완료", in_progress: "추진 중",
  reviewing: "검토 중", not_reflected: "미반영", rank: "순위", round: "회차", label: "항목", phase: "구분",
  courses: "과정수", sessions: "횟수", people: "인원", unit: "단위",
};
const HIDDEN_COLUMNS = new Set(["id", "report_id"]);
const LAST_COLUMNS = ["section", "line_start", "line_end"];          // provenance goes to the right
const PLAIN_NUMBER = /(^|_)(year|year_prev|seq|round|rank|level|line_start|line_end|audit_year)$/;  // no digit grouping
const PERCENT = /(_rate|_pct)$/;
let TABLE_LABELS = {};

function el(tag, attrs = {}, text) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  if (text !== undefined && text !== null) node.textContent = String(text);
  return node;
}

function formatValue(v, key = "", unit = "") {
  if (v === null || v === undefined) return "";
  if (typeof v === "number") {
    if (PLAIN_NUMBER.test(key)) return String(v);
    // JSON drops a trailing ".0": rates are written with one decimal, as in the report (96.0%)
    const min = (unit === "%" || PERCENT.test(key)) ? 1 : 0;
    const s = Math.abs(v).toLocaleString("ko-KR", { minimumFractionDigits: min, maximumFractionDigits: 2 });
    return v < 0 ? `△${s}` : s;  // the report writes a decrease as △
  }
  if (typeof v === "object") return JSON.stringify(v);
  return String(v);
}

function linesText(lines) {
  if (!lines || !lines.length) return "";
  const [a, b] = [lines[0], lines[lines.length - 1]];
  return a === b ? `${a}행` : `${a}–${b}행`;
}

function renderTable(table, headers, rows) {
  table.replaceChildren();
  const thead = el("thead");
  const tr = el("tr");
  headers.forEach((h) => tr.appendChild(el("th", {}, h.label)));
  thead.appendChild(tr);
  const tbody = el("tbody");
  rows.forEach((row) => {
    const r = el("tr");
    headers.forEach((h) => {
      const v = row[h.key];
      const cls = typeof v === "number" ? "num" : (h.key === "section" ? "section" : "");
      r.appendChild(el("td", cls ? { class: cls } : {}, h.format ? h.format(v, row) : formatValue(v, h.key)));
    });
    tbody.appendChild(r);
  });
  table.append(thead, tbody);
}

const ROLE_NAMES = { answer: "답", input: "계산에 쓴 값", context: "참고" };

// A figure as the report writes it: thousands separators, a negative as △, the unit after (fmt in assistant/facts.py).
function reportFigure(v, unit = "") {
  if (v === null || v === undefined) return "-";
  if (typeof v !== "number") return String(v);
  const abs = Math.abs(v);
  let digits;
  if (!Number.isInteger(v)) digits = abs < 10 ? { minimumFractionDigits: 0, maximumFractionDigits: 2 } : { minimumFractionDigits: 1, maximumFractionDigits: 1 };
  else if (["%", "점", "%p"].includes(unit)) digits = { minimumFractionDigits: 1, maximumFractionDigits: 1 };
  else digits = { maximumFractionDigits: 0 };
  const s = abs.toLocaleString("ko-KR", digits);
  if (unit === "대 1") return `${s}:1`;
  return `${v < 0 ? "△" : ""}${s}${unit}`;
}

function spanText(lines) {
  if (!lines || !lines.length) return "";
  const [a, b] = [lines[0], lines[lines.length - 1]];
  return a === b ? String(a) : `${a}~${b}`;
}

async function openSource(li, c) {
  const open = li.querySelector(".source-view");
  if (open) { open.remove(); return; }
  const [start, end] = [c.lines[0], c.lines[c.lines.length - 1]];
  const view = el("div", { class: "source-view" }, "원문을 불러오는 중입니다…");
  li.appendChild(view);
  try {
    const res = await fetch(`/api/v1/source?start=${start}&end=${end}`, { headers: authHeaders() });
    const body = await res.json().catch(() => ({}));
    if (!res.ok) { view.textContent = `원문을 보여 줄 수 없습니다(${res.status}): ${body.error || ""}`; return; }
    view.replaceChildren(el("div", { class: "source-name" }, `${body.source} ${start === end ? start : `${start}~${end}`}행과 앞뒤`));
    body.lines.forEach((l) => {
      const row = el("div", { class: l.cited ? "src-line hl" : "src-line", "data-line": l.n });
      row.append(el("span", { class: "src-n" }, l.n), el("span", { class: "src-text" }, l.text));
      view.appendChild(row);
    });
  } catch (e) {
    view.textContent = `서버에 연결할 수 없습니다: ${e}`;
  }
}

function renderCitations(citations) {
  const list = $("citations");
  list.replaceChildren();
  citations.forEach((c) => {
    const li = el("li", { class: "citation" });
    const opener = el("button", { type: "button", class: "cite-open" }, `${c.section} · ${linesText(c.lines)}`);
    if (c.lines && c.lines.length) opener.addEventListener("click", () => openSource(li, c));
    else opener.disabled = true;
    li.appendChild(opener);
    li.appendChild(el("span", { class: "cite-where" }, ` ${c.source}`));
    if (c.quote) li.appendChild(el("span", { class: "cite-quote" }, c.quote));
    list.appendChild(li);
  });
  $("citations-box").hidden = citations.length === 0;
}

function renderFacts(facts) {
  renderTable($("facts"), [
    { key: "role", label: "구분", format: (v) => ROLE_NAMES[v] || v || "" },
    { key: "label", label: "항목" },
    { key: "value", label: "값", format: (v, row) => reportFigure(v, row.unit) },
    { key: "lines", label: "위치(행)", format: (v) => spanText(v) },
    { key: "formula", label: "계산", format: (v) => v || "" },
  ], facts);
  $("facts-box").hidden = facts.length === 0;
}

function renderRows(rows) {
  const box = $("rows");
  box.replaceChildren();
  const groups = new Map();
  rows.forEach((r) => {
    const t = r.table || "(표)";
    if (!groups.has(t)) groups.set(t, []);
    groups.get(t).push(r);
  });
  for (const [name, items] of groups) {
    const keys = [];
    items.forEach((r) => Object.keys(r).forEach((k) => {
      if (k !== "table" && !HIDDEN_COLUMNS.has(k) && !LAST_COLUMNS.includes(k) && !keys.includes(k)) keys.push(k);
    }));
    LAST_COLUMNS.forEach((k) => { if (items.some((r) => k in r)) keys.push(k); });
    box.appendChild(el("h3", {}, TABLE_LABELS[name] ? `${TABLE_LABELS[name]} (${name})` : name));
    const wrap = el("div", { class: "table-wrap" });
    const table = el("table", { class: "rows-table", "data-table": name });
    renderTable(table, keys.map((k) => ({ key: k, label: COLUMN_LABELS[k] || k })), items);
    wrap.appendChild(table);
    box.appendChild(wrap);
  }
  $("rows-box").hidden = rows.length === 0;
}

function splitAnswer(text) {
  const i = (text || "").indexOf("\n\n");
  return i < 0 ? [text || "", ""] : [text.slice(0, i), text.slice(i + 2)];
}

function renderDetails(a) {
  $("answer-meta").textContent = `백엔드 ${a.backend} · 전체 ${Math.round(a.elapsed_ms)}ms`;
  const tools = $("answer-tools");
  tools.replaceChildren();
  (a.tool_calls || []).forEach((t) => tools.appendChild(el("li", {}, `도구 ${t.name} · ${Math.round(t.elapsed_ms)}ms`)));
}

function renderAnswer(a) {
  const box = $("answer");
  box.hidden = false;
  box.classList.toggle("refused", !!a.refused);
  $("answer-badge").textContent = a.refused ? "답변할 수 없음" : "답변";
  const [lead, evidence] = splitAnswer(a.answer);
  $("answer-lead").textContent = lead;
  $("answer-evidence").textContent = evidence;
  $("answer-evidence").hidden = !evidence;
  const warn = $("answer-warning");
  warn.hidden = a.grounded !== false && !(a.unsupported || []).length;
  warn.textContent = warn.hidden ? "" : `근거를 찾지 못한 수치를 뺐습니다: ${(a.unsupported || []).join(", ")}`;
  renderCitations(a.citations || []);
  renderFacts(a.facts || []);
  renderRows(a.rows || []);
  renderDetails(a);
  $("details").open = false;
  addHistory(a.question, lead);
}

function addHistory(question, lead) {
  const li = el("li", { class: "turn" });
  li.append(el("div", { class: "turn-q" }, question), el("div", { class: "turn-a" }, lead));
  $("history").appendChild(li);
  $("history-empty").hidden = true;
}

function newConversation() {
  sessionId = null;
  $("history").replaceChildren();
  $("history-empty").hidden = false;
  $("answer").hidden = true;
  $("status").className = "";
  $("status").textContent = "새 대화를 시작했습니다.";
  $("question").value = "";
  $("question").focus();
}

let sessionId = null;
const KEY_STORE = "hrd-api-key";  // this tab only (sessionStorage): a shared computer forgets the key with the tab

function authHeaders() {
  const key = $("api-key").value.trim() || sessionStorage.getItem(KEY_STORE);
  return key ? { Authorization: `Bearer ${key}` } : {};
}

async function ask(question) {
  const status = $("status");
  const button = $("ask-button");
  status.className = "";
  status.textContent = "답변을 찾는 중입니다…";
  button.disabled = true;
  const headers = { "Content-Type": "application/json", ...authHeaders() };
  const key = $("api-key").value.trim();
  if (key) sessionStorage.setItem(KEY_STORE, key);
  try {
    const res = await fetch("/api/v1/ask", {
      method: "POST", headers, body: JSON.stringify({ question, session_id: sessionId }),
    });
    const body = await res.json().catch(() => ({ ok: false, error: `서버 응답을 읽을 수 없습니다(${res.status}).` }));
    if (!res.ok) {
      status.className = "error";
      status.textContent = `오류(${res.status}): ${body.error || "알 수 없는 오류"}`;
      if (res.status === 401) $("key-box").open = true;
      return;
    }
    sessionId = body.session_id || sessionId;
    status.textContent = "";
    renderAnswer(body);
  } catch (e) {
    status.className = "error";
    status.textContent = `서버에 연결할 수 없습니다: ${e}`;
  } finally {
    button.disabled = false;
  }
}

document.addEventListener("DOMContentLoaded", () => {
  const saved = sessionStorage.getItem(KEY_STORE);
  if (saved) $("api-key").value = saved;
  $("new-chat").addEventListener("click", newConversation);
  $("ask-form").addEventListener("submit", (ev) => {
    ev.preventDefault();
    const q = $("question").value.trim();
    if (q) ask(q);
  });
  document.querySelectorAll(".example").forEach((b) => b.addEventListener("click", () => {
    $("question").value = b.textContent;
    $("question").focus();
  }));
  fetch("/api/v1/tables", { headers: authHeaders() }).then((r) => r.ok ? r.json() : null).then((t) => {
    if (t) TABLE_LABELS = Object.fromEntries(t.tables.map((x) => [x.table, x.label]));
  }).catch(() => {});
  fetch("/api/v1/health").then((r) => r.ok ? r.json() : null).then((h) => {
    if (h && h.report) $("report-info").textContent = `${h.report.year}년 보고서(${h.report.file})에 근거해 답하고, 근거 문장과 표의 행을 함께 보여 줍니다.`;
  }).catch(() => {});
});
