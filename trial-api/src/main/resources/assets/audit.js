// Managers and the statistician: a recruit's audit trail (/api/v1/recruits/{id}/audit) with its chain's check, filters and CSV.
"use strict";

/** The actions a recruit's history holds, in the order they usually happen, with words for the filter. */
const ACTIONS = [
  ["recruit_created", "Recruit started"], ["screened", "Screened"], ["agreement_taken", "Agreement taken"],
  ["agreement_declined", "Agreement declined"], ["identity_recorded", "Identifiers recorded"],
  ["baseline_recorded", "Baseline recorded"], ["randomised", "Randomised"], ["identity_corrected", "Identifiers corrected"],
  ["flagged", "Flagged"], ["withdrawn_service", "Withdrawn from the service"], ["withdrawn_research", "Withdrawn from the research"],
  ["deceased", "Death recorded"], ["delivery_recorded", "Delivery recorded"], ["delivery_corrected", "Delivery corrected"],
  ["delivery_deleted", "Delivery deleted"], ["followup_attempt", "Survey contact attempt"], ["followup_done", "Survey done"]
];
/** Words for the fields of the changes that the shared FIELD_NAMES do not have. */
const CHANGE_FIELDS = {
  eligible: "Eligible", failedCriteria: "Criteria not met", rulesVersion: "Eligibility rules", agreed: "Agreed",
  declined: "Statements declined", questionnaireVersion: "Questionnaire version", arm: "Arm", stratum: "Stratum",
  designVersion: "Design version", sequence: "Sequence in the stratum", status: "Status", flag: "Flag", date: "Date",
  occurred_on: "Date", mode: "Mode", minutes: "Minutes", face_to_face: "Face to face", job_type: "Job", hours_per_week: "Hours a week",
  at_least_minimum_wage: "At least the minimum wage", permanent: "Permanent", employer_name: "Employer", job_start_id: "Job start",
  note: "Note", wave: "Survey wave", outcome: "Outcome", completedOn: "Interview on", source: "Source"
};
const FILTERS = { user: "filter-user", action: "filter-action", from: "filter-from", to: "filter-to" };
/** The trial-wide trail's page: the cursor of the next, older page. */
const Wide = { nextBefore: null, limit: null };

function when(iso) {
  return new Date(iso).toLocaleString("en-GB", { timeZone: "Europe/London", day: "numeric", month: "short", year: "numeric",
    hour: "2-digit", minute: "2-digit", second: "2-digit" });
}

/** The query string of the filters filled in (empty ones left out); the site only for every recruit's trail. */
function query(wide) {
  const q = new URLSearchParams();
  const site = document.getElementById("filter-site").value;
  if (wide && site) { q.set("site", site); }
  if (wide && Wide.limit) { q.set("limit", Wide.limit); }
  Object.entries(FILTERS).forEach(([name, id]) => {
    const value = document.getElementById(id).value.trim();
    if (value) { q.set(name, value); }
  });
  const s = q.toString();
  return s ? "?" + s : "";
}

async function init() {
  const me = await Api.me();
  if (!me) { window.location.assign("/index.html"); return; }
  renderHeader(me);
  if (me.role !== "manager" && me.role !== "statistician") {
    const refused = document.getElementById("refused");
    refused.hidden = false;
    refused.innerHTML = `<div class="error-summary" role="alert" tabindex="-1" id="refused-message"><h2>The audit trail is for trial managers and the statistician</h2>
      <p><a href="/index.html">Go to your own pages</a></p></div>`;
    document.getElementById("refused-message").focus();
    document.body.dataset.loaded = "true";
    return;
  }
  document.getElementById("page").hidden = false;
  const select = document.getElementById("filter-action");
  ACTIONS.forEach(([code, words]) => select.insertAdjacentHTML("beforeend", `<option value="${esc(code)}">${esc(words)}</option>`));
  const structure = await Api.call("GET", "/reports/structure");
  const sites = document.getElementById("filter-site");
  ((structure.body && structure.body.sites) || []).filter(x => me.role !== "manager" || !me.site || x.code === me.site)
    .forEach(x => sites.insertAdjacentHTML("beforeend", `<option value="${esc(x.code)}">${esc(x.name || x.code)}</option>`));
  const params = new URLSearchParams(window.location.search);
  sites.value = params.get("site") || "";
  // Rows a page of every recruit's trail (the service's default, 100, unless the address says).
  Wide.limit = params.get("limit");
  document.getElementById("participant").value = params.get("recruit") || "";
  Object.entries(FILTERS).forEach(([name, id]) => { document.getElementById(id).value = params.get(name) || ""; });
  document.getElementById("trail-form").addEventListener("submit", ev => { ev.preventDefault(); show(true); });
  document.getElementById("clear-button").addEventListener("click", () => {
    Object.values(FILTERS).forEach(id => { document.getElementById(id).value = ""; });
    document.getElementById("filter-site").value = "";
    show(true);
  });
  document.getElementById("older-button").addEventListener("click", older);
  if (params.get("recruit") || params.get("all")) { await show(false); }
  document.body.dataset.loaded = "true";
}

async function show(remember) {
  const form = document.getElementById("trail-form");
  const pid = document.getElementById("participant").value.replace(/[\s-]/g, "");
  const q = query(!pid);
  await Forms.busy(document.getElementById("show-button"), async () => {
    const r = await Api.call("GET", pid ? `/recruits/${encodeURIComponent(pid)}/audit${q}` : `/audit/trail${q}`);
    if (r.status === 404) {
      document.getElementById("trail").hidden = true;
      Forms.showErrors(form, { message: (r.body && r.body.message) || "No such recruit.", fieldErrors: [{ field: "participantId", message: "names no recruit you may see" }] });
      return;
    }
    if (r.status !== 200) {
      document.getElementById("trail").hidden = true;
      Forms.showErrors(form, r.body);
      return;
    }
    Forms.clear(form);
    if (remember) {
      const page = new URLSearchParams(q.slice(1));
      if (pid) { page.set("recruit", pid); } else { page.set("all", "1"); }
      history.replaceState(null, "", "/audit.html?" + page.toString());
    }
    if (pid) { render(r.body, pid, q); } else { renderWide(r.body, q, false); }
  });
}

async function older() {
  const q = query(true);
  const sep = q ? "&" : "?";
  await Forms.busy(document.getElementById("older-button"), async () => {
    const r = await Api.call("GET", `/audit/trail${q}${sep}before=${Wide.nextBefore}`);
    if (r.status === 200) { renderWide(r.body, q, true); }
  });
}

function chainStatus(c) {
  if (c.status === "ok") {
    const sealed = c.sealedThrough === null ? "no checkpoint has sealed it yet" :
      `sealed through event ${c.sealedThrough} by checkpoint ${c.checkpoint}` + (c.unsealedEvents ? `; ${c.unsealedEvents} newer not yet sealed` : "");
    return `<div class="notice" id="chain-ok" data-status="ok"><strong>Audit chain verified: intact.</strong>
      ${c.events} events checked at ${esc(when(c.verifiedAt))}, ${esc(sealed)}.</div>`;
  }
  const where = c.brokenAtSeq !== null ? `at event ${c.brokenAtSeq}` + (c.brokenAtPosition !== null ? ` (position ${c.brokenAtPosition} of the recruit's chain)` : "")
    : c.brokenAtPosition !== null ? `at position ${c.brokenAtPosition} of the recruit's chain` : "";
  return `<div class="error-summary" role="alert" id="chain-broken" data-status="broken"><h3>Audit chain broken ${esc(where)}</h3>
    <p>${esc(c.problem)}. The records below may have been changed outside the service: tell the trial's data custodian, and run
    verify-audit on the whole log.</p></div>`;
}

/** One row of the table; the recruit's column in the trial-wide trail only. */
function row(e, recruit) {
  const changes = e.changes.map(c => `<li data-field="${esc(c.field)}"><span class="field-name">${esc(CHANGE_FIELDS[c.field] || FIELD_NAMES[c.field] || c.field)}</span>: ` +
    (c.from === null ? "" : `${esc(c.from)} &rarr; `) + `${c.to === null ? "<span class=\"muted\">none</span>" : esc(c.to)}</li>`).join("");
  const who = recruit ? `<td class="wide-only" data-cell="recruit"><a href="/audit.html?recruit=${esc(recruit.participantId)}">${esc(recruit.participantId)}</a>
    <span class="small">site ${esc(recruit.site)}</span>${recruit.chainStatus === "broken" ? ' <span class="flagged">chain broken</span>' : ""}</td>`
    : `<td class="wide-only"></td>`;
  return `<tr data-seq="${e.seq}" data-action="${esc(e.action)}"${recruit ? ` data-participant="${esc(recruit.participantId)}"` : ""}>
    <td class="num">${e.seq}</td>${who}<td class="nowrap">${esc(when(e.at))}</td>
    <td>${esc(e.user)}</td><td data-cell="summary">${esc(e.summary)}</td><td data-cell="changes">${changes ? `<ul class="changes">${changes}</ul>` : ""}</td>
    <td data-cell="reason">${e.reason === null ? "" : esc(e.reason)}</td></tr>`;
}

function renderWide(t, q, append) {
  document.getElementById("trail").hidden = false;
  document.getElementById("trail-table").classList.add("wide");
  const broken = t.brokenChains;
  document.getElementById("chain-status").innerHTML = broken.length === 0
    ? `<div class="notice" id="chain-ok" data-status="ok"><strong>Audit chains verified: intact.</strong> The chains of the ${t.recruitsChecked}
       recruits on this page were checked now.</div>`
    : `<div class="error-summary" role="alert" id="chain-broken" data-status="broken"><h3>${broken.length} of the ${t.recruitsChecked} recruits' audit chains on this page are broken</h3>
       <ul>${broken.map(b => `<li><a href="/audit.html?recruit=${esc(b.participantId)}">${esc(b.participantId)}</a> (site ${esc(b.site)})` +
         `${b.brokenAtSeq !== null ? " at event " + b.brokenAtSeq : ""}: ${esc(b.problem)}</li>`).join("")}</ul>
       <p>Tell the trial's data custodian, and run verify-audit on the whole log.</p></div>`;
  document.getElementById("trail-title").textContent = "Every recruit's changes" + (t.filters.site ? `, site ${t.filters.site}` : "") + ", newest first";
  document.getElementById("csv-link").href = `/api/v1/audit/trail.csv${q}`;
  document.getElementById("trail-caption").textContent = "Changes, newest first";
  const body = document.querySelector("#trail-table tbody");
  const rows = t.events.map(r => row(r.event, r)).join("");
  if (append) { body.insertAdjacentHTML("beforeend", rows); } else {
    body.innerHTML = rows || `<tr><td colspan="7" class="muted">No change matches the filters.</td></tr>`;
  }
  const shown = body.querySelectorAll("tr[data-seq]").length;
  document.getElementById("trail-count").textContent = `${shown} changes shown` + (t.nextBefore === null ? "." : "; older ones on the next page.");
  Wide.nextBefore = t.nextBefore;
  document.getElementById("older").hidden = t.nextBefore === null;
}

function render(t, pid, q) {
  document.getElementById("trail").hidden = false;
  document.getElementById("trail-table").classList.remove("wide");
  document.getElementById("older").hidden = true;
  document.getElementById("trail-caption").textContent = "Changes, oldest first";
  document.getElementById("chain-status").innerHTML = chainStatus(t.chain);
  document.getElementById("trail-title").textContent = `Recruit ${t.participantId}, site ${t.site}` +
    (t.displayName ? `: ${t.displayName}` : "") + (t.identifiersMasked ? " (identifiers and reasons masked for your role)" : "");
  document.getElementById("csv-link").href = `/api/v1/recruits/${encodeURIComponent(pid)}/audit.csv${q}`;
  document.getElementById("trail-count").textContent = t.events.length === t.totalEvents
    ? `${t.totalEvents} changes.` : `${t.events.length} of ${t.totalEvents} changes match the filters.`;
  const rows = t.events.map(e => row(e, null)).join("");
  document.querySelector("#trail-table tbody").innerHTML = rows ||
    `<tr><td colspan="7" class="muted">No change matches the filters.</td></tr>`;
}

init();
