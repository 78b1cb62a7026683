// 요구사항 → POST /api/v1/drafts → 고쳐 쓸 수 있는 초안; DOCX 받기는 고친 본문으로 다시 만들어 받습니다. 외부 라이브러리 없음.
"use strict";

const $ = (id) => document.getElementById(id);
let last = null;  // the request and status the shown draft was made from

function headers() {
  const h = { "Content-Type": "application/json" };
  const key = $("api-key").value.trim();
  if (key) { h["Authorization"] = "Bearer " + key; sessionStorage.setItem("hrd-api-key", key); }
  return h;
}

function say(text, error = false) {
  $("status").textContent = text;
  $("status").classList.toggle("error", error);
}

function fill(list, items, render) {
  $(list).replaceChildren(...items.map((x) => { const li = document.createElement("li"); li.textContent = render(x); return li; }));
}

async function post(body) {
  const res = await fetch("/api/v1/drafts", { method: "POST", headers: headers(), body: JSON.stringify(body) });
  if (!res.ok) {
    let msg = `오류 (${res.status})`;
    try { msg = (await res.json()).error || msg; } catch (e) { /* not JSON */ }
    throw new Error(msg);
  }
  return res;
}

function show(d) {
  $("draft-meta").textContent = `담당부서: ${d.department || "(데이터로 정할 수 없음)"} · 추진상황: ${d.status} · 근거 검사: ${d.grounded ? "통과" : "확인 불가 수치 있음"}`;
  $("draft-warning").hidden = d.grounded;
  $("draft-warning").textContent = d.grounded ? "" : `근거를 확인할 수 없는 수치: ${d.unsupported.join(", ")}`;
  $("draft-progress").value = d.progress.join("\n");
  $("draft-plans").value = d.plans.join("\n");
  fill("draft-gaps", d.gaps, (g) => g);
  fill("draft-related", d.related, (r) => `${r.kind} ${r.seq} (${r.department}, ${r.status}): ${r.request}`);
  fill("draft-sources", d.sources, (s) => `${s.source} ${s.lines[0] === s.lines[1] ? s.lines[0] : s.lines.join("~")}행 — ${s.section} (${s.what})`);
  $("draft").hidden = false;
}

$("draft-form").addEventListener("submit", async (ev) => {
  ev.preventDefault();
  const request = $("draft-request").value.trim();
  if (!request) { say("요구사항을 입력하세요.", true); return; }
  $("draft-button").disabled = true;
  say("초안을 만드는 중…");
  try {
    last = { request, status: $("draft-status").value || null };
    show(await (await post(last)).json());
    say("초안을 만들었습니다. 고친 뒤 DOCX로 받을 수 있습니다.");
  } catch (e) {
    say(e.message, true);
  } finally {
    $("draft-button").disabled = false;
  }
});

$("docx-button").addEventListener("click", async () => {
  if (!last) return;
  const lines = (id) => $(id).value.split("\n").filter((x) => x.trim());
  try {
    const res = await post({ ...last, format: "docx", progress: lines("draft-progress"), plans: lines("draft-plans") });
    const url = URL.createObjectURL(await res.blob());
    const a = document.createElement("a");
    a.href = url; a.download = "답변서(초안).docx";
    document.body.appendChild(a); a.click(); a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
    say("DOCX를 받았습니다.");
  } catch (e) {
    say(e.message, true);
  }
});

const saved = sessionStorage.getItem("hrd-api-key");
if (saved) $("api-key").value = saved;
