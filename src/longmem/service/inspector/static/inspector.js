// The longmem inspector: one page over /api/v1, no framework, no build step.
//
// Everything a memory holds is user input. Nodes are built with createElement and filled with
// textContent (or append(string), which makes a text node); no data ever reaches innerHTML,
// outerHTML, insertAdjacentHTML or an attribute that loads a URL. The page's
// Content-Security-Policy (longmem/service/inspector) is the second line.
"use strict";

// Relative to /inspect/, so the page also works behind a proxy that adds a path prefix.
const API = new URL("../api/v1/", document.baseURI);
const KEY_STORAGE = "longmem.inspector.apiKey";
const PAGE_SIZE = 50;
const PARTS = [
  ["semantic", "match", "the rank score that orders results: words and meaning, fused"],
  ["dense", "meaning", "cosine similarity of the embeddings"],
  ["lexical", "words", "share of the query's weighted words found in the memory"],
  ["relevance", "relevance", "calibrated relevance, compared with the relevance floor"],
  ["recency", "recency", "decay by turns and days since it was said"],
  ["access", "access", "how often it was recalled (log scale)"],
  ["confidence", "confidence", "how sure extraction was"],
];

const state = { user: "", cursor: null };

const $ = (id) => document.getElementById(id);

// Each view shows the answer to the last request made for it: an answer that arrives after a
// newer request (a filter changed twice quickly, another user picked) is dropped, not mixed in.
const latest = new Map();
function ticket(view) {
  const mine = (latest.get(view) || 0) + 1;
  latest.set(view, mine);
  return () => latest.get(view) === mine;
}

// -- building nodes -------------------------------------------------------------------------

// el("li", {class: "x"}, "text", child): strings become text nodes, never markup.
function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === null || value === undefined || value === false) continue;
    if (name === "class") node.className = value;
    else if (name.startsWith("on")) node.addEventListener(name.slice(2), value);
    else node.setAttribute(name, value === true ? "" : String(value));
  }
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : String(child));
  }
  return node;
}

function clear(node) {
  node.replaceChildren();
  return node;
}

function fmt(value, digits = 2) {
  return typeof value === "number" ? value.toFixed(digits) : "–";
}

function when(iso) {
  if (!iso) return "–";
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? String(iso) : date.toLocaleString();
}

function badge(text, kind) {
  return el("span", { class: `badge ${kind || ""}`.trim() }, text);
}

function facts(target, pairs) {
  clear(target);
  for (const [name, value] of pairs) {
    target.append(el("dt", {}, name), el("dd", {}, value));
  }
}

function showError(message) {
  const box = $("error");
  box.textContent = message;
  box.hidden = !message;
}

// -- the API, with the key it may ask for -----------------------------------------------------

class ApiError extends Error {
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

// One question at a time: requests refused together wait for the same answer.
let asking = null;

function askForKey(reason) {
  if (asking) return asking;
  const dialog = $("key-dialog");
  $("key-reason").textContent = reason;
  $("key-input").value = "";
  asking = new Promise((resolve) => {
    $("key-form").onsubmit = (event) => {
      event.preventDefault();
      sessionStorage.setItem(KEY_STORAGE, $("key-input").value.trim());
      dialog.close();
      $("forget-key").hidden = false;
      asking = null;
      resolve();
    };
  });
  dialog.showModal();
  $("key-input").focus();
  return asking;
}

function segment(value) {
  return encodeURIComponent(value);
}

async function api(method, path, { query = {}, body } = {}) {
  const url = new URL(path, API);
  for (const [name, value] of Object.entries(query)) {
    if (value === null || value === undefined || value === "") continue;
    for (const item of Array.isArray(value) ? value : [value]) url.searchParams.append(name, item);
  }
  const headers = { Accept: "application/json" };
  const key = sessionStorage.getItem(KEY_STORAGE);
  if (key) headers["X-API-Key"] = key;
  if (body !== undefined) headers["Content-Type"] = "application/json";
  const response = await fetch(url, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (response.status === 401 || response.status === 403) {
    sessionStorage.removeItem(KEY_STORAGE);
    $("forget-key").hidden = true;
    await askForKey(
      response.status === 401
        ? "This service needs an API key."
        : "That key is not known to this service. Try another.",
    );
    return api(method, path, { query, body });
  }
  const payload = await response.json().catch(() => null);
  if (!response.ok) {
    const error = (payload && payload.error) || {};
    throw new ApiError(response.status, error.code || "error", error.message || response.statusText);
  }
  return payload;
}

// Errors of a user action land in the banner; the page stays usable.
function guarded(action) {
  return async (...args) => {
    showError("");
    try {
      await action(...args);
    } catch (error) {
      showError(error instanceof ApiError ? `${error.status} ${error.code}: ${error.message}` : String(error));
    }
  };
}

// -- users ----------------------------------------------------------------------------------

async function loadUsers() {
  const { users } = await api("GET", "users");
  const select = $("user");
  // A user opened by id stays open (an erased one was closed before the reload).
  const keep = state.user;
  const shown = keep && !users.includes(keep) ? [...users, keep] : users;
  clear(select).append(el("option", { value: "" }, shown.length ? "Pick a user…" : "No users yet"));
  for (const user of shown) select.append(el("option", { value: user }, user));
  select.value = keep;
  $("users-note").textContent = `${users.length} user${users.length === 1 ? "" : "s"} listed`;
}

async function pickUser(user) {
  state.user = user;
  ticket("search");
  ticket("details");
  const picked = Boolean(user);
  for (const id of ["stats-card", "erase-card", "search-card", "memories-card"]) $(id).hidden = !picked;
  $("details-card").hidden = true;
  clear($("results"));
  $("search-note").textContent = "";
  $("erase-confirm").value = "";
  $("erase").disabled = true;
  $("erase-name").textContent = user;
  if (!picked) return;
  await Promise.all([loadStats(), loadMemories()]);
}

// A user typed in: one the list does not hold yet, or a long list to skip.
async function openUser(event) {
  event.preventDefault();
  const user = $("user-id").value;
  if (!user.trim()) return;
  const select = $("user");
  if (![...select.options].some((option) => option.value === user)) {
    select.append(el("option", { value: user }, user));
  }
  select.value = user;
  $("user-id").value = "";
  await pickUser(user);
}

async function loadStats() {
  const current = ticket("stats");
  const stats = await api("GET", `memories/${segment(state.user)}/stats`);
  if (!current()) return;
  const counts = (record) =>
    Object.entries(record || {})
      .map(([name, n]) => `${name} ${n}`)
      .join(", ") || "none";
  facts($("stats"), [
    ["memories", String(stats.total)],
    ["by kind", counts(stats.by_kind)],
    ["by type", counts(stats.by_type)],
    ["by status", counts(stats.by_status)],
    ["turns seen", String(stats.turns_seen)],
    ["hot / cold", `${stats.hot} / ${stats.cold}`],
    ["storage", `${(stats.storage_bytes / 1024).toFixed(1)} KiB`],
    ["last optimize", when(stats.last_optimize)],
    ["queued extractions", String(stats.pending_extractions)],
  ]);
}

// -- memories -------------------------------------------------------------------------------

// The API lists active memories unless told which statuses: "any" names all three.
function filters() {
  return { kinds: $("kind").value, types: $("type").value, statuses: $("status").value.split(",") };
}

async function loadMemories(more = false) {
  const current = ticket("memories");
  const list = $("memories");
  const page = await api("GET", `memories/${segment(state.user)}`, {
    query: { ...filters(), limit: PAGE_SIZE, cursor: more ? state.cursor : null },
  });
  if (!current()) return;
  if (!more) clear(list);
  for (const memory of page.items) list.append(memoryRow(memory));
  if (!list.children.length) list.append(el("li", { class: "muted empty" }, "No memories match."));
  state.cursor = page.next_cursor;
  $("more").hidden = !page.next_cursor;
}

function labels(memory) {
  return el(
    "span",
    { class: "labels" },
    badge(memory.kind, memory.kind),
    memory.type ? badge(memory.type, "type") : null,
    memory.status !== "active" ? badge(memory.status, memory.status) : null,
  );
}

function memoryRow(memory) {
  const turn = memory.metadata.source_turn;
  return el(
    "li",
    { "data-memory-id": memory.memory_id, "data-kind": memory.kind, "data-status": memory.status },
    el(
      "button",
      { type: "button", class: "memory", onclick: guarded(() => showMemory(memory.memory_id)) },
      labels(memory),
      el("span", { class: "text" }, memory.content),
      el(
        "span",
        { class: "meta" },
        `${turn === null ? "no turn" : `turn ${turn}`} · confidence ${fmt(memory.metadata.confidence)} · v${memory.version}`,
      ),
    ),
  );
}

// -- one memory: details, supersede chain, history ----------------------------------------

async function fetchMemory(id) {
  return api("GET", `memories/${segment(state.user)}/${segment(id)}`, { query: { include_deleted: true } });
}

async function history(id) {
  return api("GET", `memories/${segment(state.user)}/${segment(id)}/history`);
}

async function showMemory(id) {
  const current = ticket("details");
  const [memory, events] = await Promise.all([fetchMemory(id), history(id)]);
  if (!current()) return;
  const card = $("details-card");
  card.hidden = false;
  const details = clear($("details"));
  details.append(labels(memory), el("p", { class: "memory-content" }, memory.content));
  const dl = el("dl", { class: "facts" });
  const meta = memory.metadata;
  facts(dl, [
    ["id", memory.memory_id],
    ["version", String(memory.version)],
    ["source turn", meta.source_turn === null ? "–" : String(meta.source_turn)],
    ["valid turns", `${memory.valid_from_turn ?? "–"} → ${memory.valid_to_turn ?? "now"}`],
    ["confidence", fmt(meta.confidence)],
    ["decay score", fmt(meta.decay_score)],
    ["recalled", `${meta.access_count} times, last ${when(meta.last_accessed)}`],
    ["slot", meta.slot ? `${meta.slot} = ${meta.value ?? ""}${meta.negated ? " (negated)" : ""}` : "–"],
    ["speaker", meta.speaker || meta.role || "–"],
    ["created", when(meta.created_at)],
    ["updated", when(meta.updated_at)],
  ]);
  details.append(dl);
  renderHistory(events);
  clear($("chain")).append(el("li", { class: "muted" }, "Following the chain…"));
  await renderChain(memory, current);
  card.scrollIntoView({ block: "nearest" });
}

function renderHistory(events) {
  const list = clear($("history"));
  for (const event of events) {
    list.append(
      el(
        "li",
        {},
        el("span", { class: "meta" }, `v${event.version} · ${when(event.created_at)}${event.turn === null ? "" : ` · turn ${event.turn}`}`),
        el("span", {}, badge(event.action, `action-${event.action}`), " ", event.reason),
      ),
    );
  }
  if (!events.length) list.append(el("li", { class: "muted" }, "No history."));
}

// The reason an old memory gave way: its last supersede event.
async function supersedeReason(id) {
  const events = await history(id);
  const last = events.filter((e) => e.action === "supersede").pop();
  return last ? last.reason : "";
}

// Every superseded memory of the user, to find those a memory replaced (a record only links
// forward, through superseded_by).
async function supersededBy() {
  const back = new Map();
  let cursor = null;
  do {
    const page = await api("GET", `memories/${segment(state.user)}`, {
      query: { statuses: "superseded", limit: 1000, cursor },
    });
    for (const m of page.items) if (m.superseded_by) back.set(m.superseded_by, [...(back.get(m.superseded_by) || []), m]);
    cursor = page.next_cursor;
  } while (cursor);
  return back;
}

async function renderChain(memory, current) {
  const back = await supersededBy();
  const chain = [memory];
  const seen = new Set([memory.memory_id]);
  // Older: follow the first memory each one replaced; newer: follow superseded_by.
  for (let first = memory; (back.get(first.memory_id) || []).length; ) {
    first = back.get(first.memory_id)[0];
    if (seen.has(first.memory_id)) break;
    seen.add(first.memory_id);
    chain.unshift(first);
  }
  for (let last = memory; last.superseded_by && !seen.has(last.superseded_by); ) {
    last = await fetchMemory(last.superseded_by);
    seen.add(last.memory_id);
    chain.push(last);
  }
  const reasons = await Promise.all(chain.map((m) => (m.superseded_by ? supersedeReason(m.memory_id) : "")));
  if (!current()) return;
  const list = clear($("chain"));
  if (chain.length === 1) {
    list.append(el("li", { class: "muted" }, "Not superseded, and replaced nothing."));
    return;
  }
  chain.forEach((m, i) => {
    const current = m.memory_id === memory.memory_id;
    list.append(
      el(
        "li",
        { class: current ? "current" : null },
        el("button", { type: "button", class: "link", onclick: guarded(() => showMemory(m.memory_id)) }, m.content),
        " ",
        badge(m.status, m.status),
        reasons[i] ? el("span", { class: "reason" }, `↓ ${reasons[i]}`) : null,
      ),
    );
  });
}

// -- search and why each hit ranked where it did --------------------------------------------

// GET /scoring: the weights of a hit's score and the match margin under which hits count as
// tied (then their score without access orders them). Asked once, at the first search.
let scoring = null;

async function search(event) {
  event.preventDefault();
  const query = $("query").value.trim();
  if (!query) return;
  const topK = Math.min(200, Math.max(1, Number($("top-k").value) || 5));
  const current = ticket("search");
  scoring = scoring || (await api("GET", "scoring"));
  const out = await api("POST", `memories/${segment(state.user)}/search`, { body: { query, top_k: topK } });
  if (!current()) return;
  const list = clear($("results"));
  clear($("search-note")).append(
    `${out.results.length} result${out.results.length === 1 ? "" : "s"}`,
    el("span", { class: "timing" }, ` in ${fmt(out.retrieval_ms, 1)} ms`),
    `. Ranked by match; hits within ${scoring.comparable} of each other on match by relevance, recency and confidence.`,
  );
  const top = Math.max(1, ...out.results.map((h) => h.parts.semantic));
  const runs = tieRuns(out.results, scoring.comparable);
  out.results.forEach((hit, i) => list.append(resultRow(hit, i, top, explain(out.results, i, runs, scoring.weights))));
}

function resultRow(hit, index, top, why) {
  const bars = el("div", { class: "parts" });
  for (const [name, label, help] of PARTS) {
    const value = hit.parts[name];
    // The match score is not bounded by 1 (boosts add to it): scaled to the best result's.
    const share = name === "semantic" ? value / top : value;
    const fill = el("span", { class: `fill ${name}` });
    fill.style.width = `${Math.round(Math.min(1, Math.max(0, share)) * 100)}%`;
    bars.append(
      el(
        "div",
        { class: "part", title: help, "data-part": name },
        el("span", { class: "label" }, label),
        el("span", { class: "bar" }, fill),
        el("span", { class: "value" }, fmt(value)),
      ),
    );
  }
  return el(
    "li",
    { class: "result", "data-memory-id": hit.memory.memory_id },
    el(
      "div",
      { class: "row spread" },
      el("button", { type: "button", class: "link text", onclick: guarded(() => showMemory(hit.memory.memory_id)) }, hit.memory.content),
      el("span", { class: "score", title: "score: the weighted sum of relevance, recency, access and confidence" }, fmt(hit.score, 3)),
    ),
    el("div", { class: "labels-line" }, labels(hit.memory), hit.outdated ? badge("outdated", "superseded") : null),
    bars,
    el("p", { class: "why" }, why),
  );
}

// As longmem.core.ranking.top_k groups them: hits sorted by match, a new run wherever the gap
// to the next better one is over `comparable`. Within a run of several, the tie score decides.
function tieRuns(hits, comparable) {
  const order = hits.map((_, i) => i).sort((a, b) => hits[b].parts.semantic - hits[a].parts.semantic);
  const runs = new Array(hits.length);
  let run = 0;
  order.forEach((i, j) => {
    if (j > 0 && hits[order[j - 1]].parts.semantic - hits[i].parts.semantic > comparable) run += 1;
    runs[i] = run;
  });
  return runs;
}

const TIE_PARTS = ["relevance", "recency", "confidence"];

// The part that put `ahead` before `behind` in a tie: the largest weighted difference.
function decider(ahead, behind, weights) {
  return TIE_PARTS.map((name) => [name, weights[name] * (ahead.parts[name] - behind.parts[name])]).sort(
    (a, b) => b[1] - a[1],
  )[0][0];
}

// One line on why the hit is at its place: what its match rests on, how it stands against its
// neighbour (ahead by match, or tied and placed by the tie score), and what its score is made of.
function explain(hits, index, runs, weights) {
  const hit = hits[index];
  const p = hit.parts;
  const [strong, weak] = [["meaning", p.dense], ["shared words", p.lexical]].sort((a, b) => b[1] - a[1]);
  const said = [`#${index + 1}: match ${fmt(p.semantic)}, mostly from ${strong[0]} (${fmt(strong[1])}; ${weak[0]} ${fmt(weak[1])})`];
  const above = hits[index - 1];
  const below = hits[index + 1];
  const tiedAbove = above && runs[index - 1] === runs[index];
  const tiedBelow = below && runs[index + 1] === runs[index];
  if (tiedAbove) {
    const part = decider(above, hit, weights);
    said.push(`tied on match with #${index}, placed above this one by ${part} (${fmt(above.parts[part])} vs ${fmt(p[part])})`);
  } else if (tiedBelow) {
    const part = decider(hit, below, weights);
    said.push(`tied on match with #${index + 2}, placed above it by ${part} (${fmt(p[part])} vs ${fmt(below.parts[part])})`);
  } else if (above) {
    said.push(`${fmt(above.parts.semantic - p.semantic)} below #${index}`);
  } else if (below) {
    said.push(`${fmt(p.semantic - below.parts.semantic)} ahead of #2`);
  }
  if (hit.outdated) said.push("an outdated turn: its relevance is halved");
  const parts = ["relevance", "recency", "access", "confidence"]
    .map((name) => [name, weights[name] * p[name]])
    .filter(([, share]) => share >= 0.005)
    .sort((a, b) => b[1] - a[1])
    .map(([name, share]) => `${name} ${fmt(share)}`);
  // The weighted parts, largest first: what the score is mostly made of.
  said.push(`score ${fmt(hit.score, 3)}: ${parts.length ? parts.join(", ") : "nothing"}`);
  return `${said.join("; ")}.`;
}

// -- erase ----------------------------------------------------------------------------------

async function erase(event) {
  event.preventDefault();
  const user = state.user;
  if (!user || $("erase-confirm").value !== user) return;
  const out = await api("DELETE", `memories/${segment(user)}/all`);
  const removed = out.deleted.memories ?? 0;
  await pickUser("");
  await loadUsers();
  $("users-note").textContent = `Erased ${user}: ${removed} memories deleted.`;
}

// -- start ----------------------------------------------------------------------------------

async function health() {
  const pill = $("health");
  try {
    const response = await fetch(new URL("health", API), { headers: { Accept: "application/json" } });
    const body = await response.json();
    pill.textContent = `service ${body.status}`;
    pill.className = `pill ${body.status === "ok" ? "ok" : "warn"}`;
  } catch {
    pill.textContent = "service unreachable";
    pill.className = "pill warn";
  }
}

function start() {
  $("forget-key").hidden = !sessionStorage.getItem(KEY_STORAGE);
  $("forget-key").addEventListener("click", () => {
    sessionStorage.removeItem(KEY_STORAGE);
    window.location.reload();
  });
  $("user").addEventListener("change", guarded((e) => pickUser(e.target.value)));
  $("reload-users").addEventListener("click", guarded(loadUsers));
  $("open-user").addEventListener("submit", guarded(openUser));
  $("filters").addEventListener("change", guarded(() => loadMemories()));
  $("more").addEventListener("click", guarded(() => loadMemories(true)));
  $("search-form").addEventListener("submit", guarded(search));
  $("close-details").addEventListener("click", () => {
    $("details-card").hidden = true;
  });
  $("erase-confirm").addEventListener("input", (e) => {
    $("erase").disabled = e.target.value !== state.user;
  });
  $("erase-form").addEventListener("submit", guarded(erase));
  // Escape would close the key dialog with no key given: the requests waiting on it would hang.
  $("key-dialog").addEventListener("cancel", (e) => e.preventDefault());
  health();
  guarded(loadUsers)();
}

start();
