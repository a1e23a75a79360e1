// The manager's and the statistician's dashboard: every figure from /api/v1/reports.
"use strict";

const Dash = { me: null, structure: null, selected: null, charts: [] };

function fmt(n, digits) {
  if (n === null || n === undefined) { return "&ndash;"; }
  return Number(n).toLocaleString("en-GB", { maximumFractionDigits: digits === undefined ? 0 : digits, minimumFractionDigits: digits || 0 });
}
function day(d) { return d ? new Date(d + "T00:00:00Z").toLocaleDateString("en-GB", { day: "numeric", month: "short", year: "numeric", timeZone: "UTC" }) : "&ndash;"; }
function label(code) { return code.replace(/_/g, " "); }
/** An arm's words from the trial definition (the code where there are none). */
function armLabel(code) { return (Dash.structure && Dash.structure.armLabels && Dash.structure.armLabels[code]) || label(code); }

async function init() {
  const me = await Api.me();
  if (!me) { window.location.assign("/index.html"); return; }
  renderHeader(me);
  Dash.me = me;
  if (me.role !== "manager" && me.role !== "statistician") {
    const refused = document.getElementById("refused");
    refused.hidden = false;
    refused.innerHTML = `<div class="error-summary" role="alert" tabindex="-1" id="refused-message"><h2>This dashboard is for trial managers and the statistician</h2>
      <p>Your role (${esc(me.role)}) cannot see recruitment reports.</p><p><a href="/index.html">Go to your own pages</a></p></div>`;
    document.getElementById("refused-message").focus();
    return;
  }
  document.getElementById("dashboard").hidden = false;
  Dash.structure = (await Api.call("GET", "/reports/structure")).body;
  if (me.role === "manager") {
    document.getElementById("delivery-link").hidden = false;
  }
  setUpPack(me);
  if (me.role === "statistician") {
    document.getElementById("sequence").hidden = false;
    document.getElementById("sequence-link").hidden = false;
  }
  document.getElementById("find").addEventListener("submit", findRecruit);
  document.getElementById("status-form").addEventListener("submit", recordStatus);
  document.getElementById("erasure-form").addEventListener("submit", recordErasure);
  window.addEventListener("resize", () => Dash.charts.forEach(c => c.resize()));
  const minimised = Dash.structure.designKind === "minimisation";
  document.getElementById("minimisation").hidden = !minimised;
  document.getElementById("minimisation-link").hidden = !minimised;
  await Promise.all([loadRecruitment(), loadConsort(), loadBalance(), me.role === "statistician" ? loadSequence() : null,
    minimised ? loadMinimisation() : null]);
  document.body.dataset.loaded = "true";
}

/** The monitoring pack's links follow the chosen day (left empty: today); the closed part is the statistician's alone. */
function setUpPack(me) {
  const asOf = document.getElementById("pack-as-of");
  const open = document.getElementById("pack-open");
  const closed = document.getElementById("pack-closed");
  closed.hidden = me.role !== "statistician";
  const update = () => {
    const day = asOf.value ? "asOf=" + encodeURIComponent(asOf.value) : "";
    open.href = "/api/v1/reports/monitoring-pack.pdf" + (day ? "?" + day : "");
    closed.href = "/api/v1/reports/monitoring-pack.pdf?part=closed" + (day ? "&" + day : "");
  };
  asOf.addEventListener("input", update);
  asOf.addEventListener("change", update);
  update();
}

function armsNote(report) {
  const note = document.getElementById("arms-note");
  if (report.armsLive) {
    note.textContent = "Arm splits are live (statistician's view).";
  } else {
    const until = new Date(report.armsUntil);
    note.textContent = "Totals are up to now. Arm splits count randomisations up to the end of " +
      new Date(until.getTime() - 1).toLocaleDateString("en-GB", { weekday: "long", day: "numeric", month: "long", year: "numeric", timeZone: "Europe/London" }) +
      " only, so that nobody can work out where a block stands.";
  }
}

async function loadRecruitment() {
  const r = await Api.call("GET", "/reports/recruitment");
  if (r.status !== 200) { return failed("recruitment-table", r); }
  const report = r.body;
  armsNote(report);
  const arms = report.arms;
  const main = report.units.filter(u => u.level !== "area");
  const head = `<thead><tr><th scope="col">Unit</th><th scope="col" class="num">Target</th><th scope="col" class="num">Randomised</th>
    <th scope="col" class="num">Of target</th>${arms.map(a => `<th scope="col" class="num">${esc(armLabel(a))}<span class="visually-hidden"> arm</span>*</th>`).join("")}
    <th scope="col" class="num">Per week (95% interval)&dagger;</th><th scope="col">Target reached at that rate</th>
    <th scope="col" class="num">Needed per week</th></tr></thead>`;
  const rows = main.map(u => {
    const p = u.projection;
    const needed = p.overdue ? `<span class="flagged">Period ended<br><span class="nowrap">${day(u.recruitmentEnd)}</span></span>` : (p.neededPerWeek === null ? "Target reached" : fmt(p.neededPerWeek, 1));
    const when = p.remaining === 0 ? "Reached" : (p.projectedDate
      ? `<span class="nowrap">${day(p.projectedDate)}</span><br><span class="small nowrap">${day(p.earliestDate)} &ndash; ${p.latestDate ? day(p.latestDate) : "never"}</span>`
      : "Not at the recent rate");
    return `<tr class="level-${u.level === "trial_group" ? "group" : u.level}" data-unit="${esc(u.level + ":" + u.code)}">
      <th scope="row">${esc(u.level === "trial" ? "Whole trial" : u.name)}</th>
      <td class="num">${fmt(u.target)}</td><td class="num" data-cell="randomised">${fmt(u.randomised)}</td>
      <td class="num">${fmt(100 * u.randomised / u.target, 1)}%</td>
      ${arms.map(a => `<td class="num" data-cell="arm-${esc(a)}">${fmt(u.byArm[a])}</td>`).join("")}
      <td class="num">${fmt(p.ratePerWeek, 1)}<br><span class="small">${fmt(p.rateLower, 1)} &ndash; ${fmt(p.rateUpper, 1)}</span></td>
      <td>${when}</td><td class="num">${needed}</td></tr>`;
  }).join("");
  const table = document.getElementById("recruitment-table");
  table.innerHTML = table.querySelector("caption").outerHTML + head + `<tbody>${rows}</tbody>` +
    `<tfoot><tr><td colspan="${7 + arms.length}" class="muted">* Arm columns count randomisations before ${esc(new Date(report.armsUntil).toLocaleString("en-GB", { timeZone: "Europe/London" }))} (UK time).
      &dagger; Randomised per week over the last ${report.windowWeeks} complete weeks, with its exact Poisson 95% interval; the dates below each projection use the ends of that interval.</td></tr></tfoot>`;
  const areas = report.units.filter(u => u.level === "area");
  document.getElementById("areas-table").innerHTML = `<thead><tr><th scope="col">Area</th><th scope="col">Site</th><th scope="col" class="num">Randomised</th>
    <th scope="col" class="num">This week</th></tr></thead><tbody>` + areas.map(u => `<tr data-unit="area:${esc(u.code)}"><th scope="row">${esc(u.name)} (${esc(u.code)})</th><td>${esc(u.site)}</td>
    <td class="num">${fmt(u.randomised)}</td><td class="num">${fmt(u.weekly[u.weekly.length - 1])}</td></tr>`).join("") + "</tbody>";
  charts(report);
}

function charts(report) {
  if (!window.echarts) { return; }
  const groups = report.units.filter(u => u.level === "trial_group");
  const weeks = report.weeks;
  // Targets (thousands) would flatten the curves (tens, early on): they are in the table instead.
  const common = { aria: { enabled: true }, animation: false, grid: { left: 50, right: 20, top: 70, bottom: 40 },
    tooltip: { trigger: "axis" }, legend: { top: 0 }, xAxis: { type: "category", data: weeks } };
  const cumulative = echarts.init(document.getElementById("cumulative-chart"), null, { renderer: "svg" });
  cumulative.setOption(Object.assign({}, common, {
    yAxis: { type: "value", name: "randomised" },
    series: groups.map(g => ({ name: g.name, type: "line", data: g.cumulative, showSymbol: false }))
  }));
  const weekly = echarts.init(document.getElementById("weekly-chart"), null, { renderer: "svg" });
  weekly.setOption(Object.assign({}, common, {
    yAxis: { type: "value", name: "per week" },
    series: groups.map(g => ({ name: g.name, type: "bar", stack: "all", data: g.weekly }))
  }));
  Dash.charts.push(cumulative, weekly);
}

async function loadConsort() {
  const r = await Api.call("GET", "/reports/consort");
  if (r.status !== 200) { return failed("consort-table", r); }
  const flow = r.body;
  const arms = flow.arms;
  const cols = [["screened", "Screened"], ["ineligible", "Not eligible"], ["eligible", "Eligible"], ["erasedBeforeRandomisation", "Erased before randomisation"],
    ["awaitingAgreement", "Awaiting agreement"], ["declinedAgreement", "Declined agreement"], ["agreed", "Agreed"], ["randomised", "Randomised"]];
  const after = [["withdrawnService", "Withdrew from service"], ["withdrawnResearch", "Withdrew from research"], ["died", "Died"], ["erased", "Erased (all)"]];
  const name = b => b.level === "trial" ? "Whole trial" : (b.level === "site" ? "Site " + b.site : (b.trialGroup ? groupName(b.trialGroup) : `Site ${b.site}: erased before screening`));
  // Stages down, groups across: a CONSORT flow read top to bottom, one column per trial group, site and the trial.
  const stages = cols.concat(arms.map(a => ["arm:" + a, "Randomised: " + armLabel(a) + "*"]), after);
  const value = (b, key) => key.startsWith("arm:") ? b.randomisedByArm[key.slice(4)] : b[key];
  const id = b => b.level + ":" + (b.trialGroup || b.site || "all");
  const table = document.getElementById("consort-table");
  table.innerHTML = table.querySelector("caption").outerHTML +
    `<thead><tr><th scope="col">Stage</th>${flow.rows.map(b => `<th scope="col" class="num">${esc(name(b))}</th>`).join("")}</tr></thead><tbody>` +
    stages.map(([key, text]) => `<tr><th scope="row">${esc(text)}</th>${flow.rows.map(b =>
      `<td class="num" data-consort="${esc(id(b))}" data-cell="${esc(key)}">${fmt(value(b, key))}</td>`).join("")}</tr>`).join("") +
    `</tbody><tfoot><tr><td colspan="${flow.rows.length + 1}" class="muted">* Randomised before ${esc(new Date(flow.armsUntil).toLocaleString("en-GB", { timeZone: "Europe/London" }))} (UK time). Screened = not eligible + eligible + erased before randomisation.</td></tr></tfoot>`;
  const groups = flow.rows.filter(b => b.level === "trial_group" && b.trialGroup);
  showDiagram();
  const reasons = [...new Set(groups.flatMap(b => Object.keys(b.ineligibleByReason)))].sort();
  const criteria = flow.reasonTexts || {};
  document.getElementById("reasons-table").innerHTML = reasons.length === 0 ? "<tbody><tr><td>Nobody has been found not eligible.</td></tr></tbody>" :
    `<thead><tr><th scope="col">Criterion not met</th>${groups.map(g => `<th scope="col" class="num">${esc(groupName(g.trialGroup))}</th>`).join("")}</tr></thead><tbody>` +
    reasons.map(r => `<tr><th scope="row">${esc(criteria[r] || label(r))}</th>${groups.map(g => `<td class="num">${fmt(g.ineligibleByReason[r] || 0)}</td>`).join("")}</tr>`).join("") + "</tbody>";
}

/** The server's SVG of the chosen unit, reloaded with the table so both show the same figures. */
function showDiagram() {
  const select = document.getElementById("diagram-unit");
  if (select.options.length === 1 && Dash.structure) {
    Dash.structure.trialGroups.forEach(g => select.add(new Option("trial group " + g.name, g.code)));
    select.addEventListener("change", showDiagram);
  }
  const code = select.value;
  const url = "/api/v1/reports/consort.svg" + (code ? "?trialGroup=" + encodeURIComponent(code) : "");
  const img = document.getElementById("consort-diagram");
  img.dataset.loaded = "false";
  img.onload = () => { img.dataset.loaded = "true"; };
  img.alt = "CONSORT flow diagram of " + (code ? "trial group " + groupName(code) : "the whole trial") + "; the same figures are in the table above";
  img.src = url + (url.includes("?") ? "&" : "?") + "at=" + Date.now();
  document.getElementById("diagram-download").href = url;
}

function groupName(code) {
  const g = Dash.structure && Dash.structure.trialGroups.find(x => x.code === code);
  return g ? g.name : code;
}

async function loadBalance() {
  const r = await Api.call("GET", "/reports/balance");
  const box = document.getElementById("balance-tables");
  if (r.status !== 200) { box.textContent = (r.body && r.body.message) || "The balance report could not be loaded."; return; }
  const arms = r.body.arms;
  box.innerHTML = r.body.groups.map((g, gi) => {
    const title = `balance-${gi}`;
    let lastItem = null;
    const rows = g.rows.map(row => {
      const first = row.item !== lastItem;
      lastItem = row.item;
      const d = row.standardisedDifference;
      const flagged = d !== null && Math.abs(d) > 0.1;
      const cells = arms.map(a => row.kind === "mean"
        ? `<td class="num">${fmt(row.mean[a], 1)} (SD ${fmt(row.sd[a], 1)}; n ${fmt(row.count[a])})</td>`
        : `<td class="num">${fmt(row.count[a])} (${fmt(row.percent[a], 1)}%)</td>`).join("");
      return `<tr><th scope="row">${first ? `<strong>${esc(row.label)}</strong><br>` : ""}${row.kind === "mean" ? "Mean (SD)" : esc(row.category)}</th>${cells}
        <td class="num ${flagged ? "flagged" : ""}">${d === null ? "&ndash;" : fmt(d, 2)}${flagged ? " <span class='visually-hidden'>(beyond 0.1)</span>&#9888;" : ""}</td></tr>`;
    }).join("");
    return `<h3 id="${title}">${esc(g.name)}: ${arms.map(a => `${esc(armLabel(a))} ${fmt(g.recruits[a])}`).join(", ")} with a baseline</h3>
      <div class="table-wrap" role="region" aria-labelledby="${title}" tabindex="0"><table>
      <thead><tr><th scope="col">Characteristic</th>${arms.map(a => `<th scope="col" class="num">${esc(armLabel(a))}</th>`).join("")}<th scope="col" class="num">Standardised difference</th></tr></thead>
      <tbody>${rows}</tbody></table></div>`;
  }).join("");
}

/** Recruits by arm per level of each factor the design balances (managers: up to the end of yesterday). */
async function loadMinimisation() {
  const r = await Api.call("GET", "/reports/minimisation-balance");
  const box = document.getElementById("minimisation-tables");
  if (r.status !== 200) { box.textContent = (r.body && r.body.message) || "The minimisation balance could not be loaded."; return; }
  const m = r.body;
  document.getElementById("minimisation-note").textContent = (m.live
    ? "Live: every allocation on record (statistician's view). "
    : "Counts randomisations up to the end of " + new Date(new Date(m.armsUntil).getTime() - 1).toLocaleDateString("en-GB",
        { weekday: "long", day: "numeric", month: "long", year: "numeric", timeZone: "Europe/London" })
      + " only: today's totals would tell which arm minimisation prefers next. ")
    + "A level's imbalance is the sum over arms of the distance from its share of the ratio.";
  box.innerHTML = m.factors.map((f, fi) => {
    const title = `minimisation-${fi}`;
    const rows = f.levels.map(l => `<tr data-factor="${esc(f.factor)}" data-level="${esc(l.level)}"><th scope="row">${esc(l.label || l.level)}</th>
      ${m.arms.map(a => `<td class="num" data-arm="${esc(a)}">${fmt(l.byArm[a])}</td>`).join("")}<td class="num">${fmt(l.recruits)}</td>
      <td class="num">${fmt(l.imbalance, 1)}</td></tr>`).join("");
    return `<h3 id="${title}">${esc(label(f.factor))}${f.stratification ? " (stratified by)" : ""}: largest imbalance ${fmt(f.largestImbalance, 1)}</h3>
      <div class="table-wrap" role="region" aria-labelledby="${title}" tabindex="0"><table>
      <thead><tr><th scope="col">Level</th>${m.arms.map(a => `<th scope="col" class="num">${esc(armLabel(a))}</th>`).join("")}
      <th scope="col" class="num">Recruits</th><th scope="col" class="num">Imbalance</th></tr></thead><tbody>${rows}</tbody></table></div>`;
  }).join("");
}

async function loadSequence() {
  const r = await Api.call("GET", "/reports/sequence");
  if (r.status !== 200) { return failed("sequence-table", r); }
  const s = r.body;
  const arms = s.strata.length ? Object.keys(s.strata[0].byArm) : [];
  const minimised = s.strata.some(x => x.minimisationExpectedCorrectGuesses !== null);
  document.getElementById("sequence-summary").innerHTML = s.intact
    ? `<span class="notice">${minimised ? `All ${fmt(s.allocations)} recorded allocations are numbered without gaps.`
      : `All ${fmt(s.allocations)} recorded allocations are in intact blocks.`}</span>`
    : `<span class="flagged">Problems were found in the recorded allocations: see the table.</span>`;
  const totalsGuess = x => x.minimisationCorrectGuesses === null || !x.allocations ? "&ndash;"
    : fmt(100 * x.minimisationCorrectGuesses / x.allocations, 1) + "% (expected " + fmt(100 * x.minimisationExpectedCorrectGuesses / x.allocations, 1) + "%)";
  document.getElementById("sequence-table").innerHTML = `<thead><tr><th scope="col">Stratum</th><th scope="col" class="num">Allocations</th>
    ${arms.map(a => `<th scope="col" class="num">${esc(armLabel(a))} (live)</th>`).join("")}<th scope="col" class="num">Blocks complete</th>
    <th scope="col" class="num">Open block</th><th scope="col" class="num">Convergence guesses correct</th>${minimised ? `<th scope="col" class="num">Guesses correct, knowing the totals</th>` : ""}
    <th scope="col">Problems</th></tr></thead><tbody>` +
    s.strata.map(x => `<tr><th scope="row">${esc(x.stratum)}</th><td class="num">${fmt(x.allocations)}</td>
      ${arms.map(a => `<td class="num">${fmt(x.byArm[a])}</td>`).join("")}<td class="num">${fmt(x.completeBlocks)} of ${fmt(x.blocks)}</td>
      <td class="num">${x.openBlockSize ? `${x.openBlockFilled} of ${x.openBlockSize}` : "none"}</td>
      <td class="num">${x.correctGuessRate === null ? "&ndash;" : fmt(100 * x.correctGuessRate, 1) + "% (chance " + fmt(100 * x.expectedCorrectGuesses / x.allocations, 0) + "%)"}</td>
      ${minimised ? `<td class="num" data-cell="totals-guess">${totalsGuess(x)}</td>` : ""}
      <td>${x.problems.length ? `<ul>${x.problems.map(p => `<li class="flagged">${esc(p)}</li>`).join("")}</ul>` : "None"}</td></tr>`).join("") + "</tbody>";
}

function failed(id, r) {
  document.getElementById(id).innerHTML = `<caption class="flagged">${esc((r.body && r.body.message) || "This report could not be loaded.")}</caption>`;
}

async function findRecruit(ev) {
  ev.preventDefault();
  const form = ev.target;
  Forms.clear(form);
  const q = form.q.value.trim();
  const r = await Api.call("GET", "/recruits?q=" + encodeURIComponent(q));
  const out = document.getElementById("find-results");
  if (r.status !== 200) { Forms.showErrors(form, r.body); return; }
  if (r.body.length === 0) { out.innerHTML = "<p>No recruit matches.</p>"; return; }
  out.innerHTML = `<p>${r.body.length} found. Choose one:</p><ul>` + r.body.slice(0, 20).map(x =>
    `<li><button type="button" class="secondary" data-pick="${esc(x.participantId)}">${esc(x.participantId.slice(0, 4) + " " + x.participantId.slice(4))}
      ${esc(x.displayName || "")} (${esc(x.trialGroup || "not screened")}${x.randomised ? ", randomised" : ""}${x.status && x.status !== "active" ? ", " + esc(label(x.status)) : ""})</button></li>`).join("") + "</ul>";
  out.querySelectorAll("[data-pick]").forEach(b => b.addEventListener("click", () => pick(b.dataset.pick, b.textContent.trim())));
}

function pick(pid, text) {
  Dash.selected = pid;
  document.getElementById("record-forms").hidden = false;
  const who = document.getElementById("record-who");
  who.textContent = "Recruit " + text.replace(/\s+/g, " ");
  document.getElementById("record-result").textContent = "";
  who.focus();
}

async function recordStatus(ev) {
  ev.preventDefault();
  const form = ev.target;
  const kind = (form.querySelector("input[name=kind]:checked") || {}).value || null;
  await Forms.busy(document.getElementById("status-button"), async () => {
    const r = await Api.call("POST", `/recruits/${Dash.selected}/status`, { kind, effectiveDate: form.effectiveDate.value || null, reason: form.reason.value.trim() || null });
    if (r.status !== 200) { Forms.showErrors(form, r.body); return; }
    Forms.clear(form);
    document.getElementById("record-result").innerHTML = `<p class="notice">Recorded: ${esc(label(kind))} on ${esc(form.effectiveDate.value)}.</p>`;
    form.reset();
    loadConsort();
  });
}

async function recordErasure(ev) {
  ev.preventDefault();
  const form = ev.target;
  await Forms.busy(document.getElementById("erasure-button"), async () => {
    const r = await Api.call("POST", `/recruits/${Dash.selected}/erasure`, { requestedOn: form.requestedOn.value || null,
      ground: form.ground.value || null, confirmed: form.confirmed.checked });
    if (r.status !== 204) { Forms.showErrors(form, r.body); return; }
    Forms.clear(form);
    document.getElementById("record-forms").hidden = true;
    document.getElementById("find-results").innerHTML = "";
    document.getElementById("record-result").innerHTML = `<p class="notice">Every personal record of the recruit was erased today (request received ${esc(form.requestedOn.value)}). The anonymous count remains.</p>`;
    form.reset();
    loadConsort();
  });
}

init();
