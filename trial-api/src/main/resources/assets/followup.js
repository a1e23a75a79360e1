// Fieldwork and managers: the follow-up survey list (/api/v1/followup) with filters; fieldwork records contact attempts.
"use strict";

const STATES = { upcoming: "Upcoming", due: "Due", overdue: "Overdue", done: "Done" };
const OUTCOMES = { no_answer: "No answer", left_message: "Left a message", refused: "Refused",
  interview_booked: "Interview booked", wrong_number: "Wrong number", completed: "Interview completed" };
const FILTERS = { wave: "filter-wave", state: "filter-state", site: "filter-site" };
const Page = { me: null, attempt: null };

function day(iso) {
  return iso ? new Date(iso + "T12:00:00Z").toLocaleDateString("en-GB", { day: "numeric", month: "short", year: "numeric" }) : "";
}

function query() {
  const q = new URLSearchParams();
  Object.entries(FILTERS).forEach(([name, id]) => {
    const value = document.getElementById(id).value;
    if (value) { q.set(name, value); }
  });
  return q.toString();
}

function contactCell(c) {
  if (!c) { return ""; }
  const lines = [`${c.givenName} ${c.familyName}`, c.phone, c.email, c.address, c.postcode,
    c.language ? "Language: " + c.language : null, "Survey mode: " + c.surveyMode.replace(/_/g, " ")];
  return lines.filter(Boolean).map(esc).join("<br>");
}

async function show() {
  const form = document.getElementById("filter-form");
  const q = query();
  const r = await Api.call("GET", "/followup" + (q ? "?" + q : ""));
  if (r.status !== 200) {
    Forms.showErrors(form, r.body);
    return;
  }
  Forms.clear(form);
  history.replaceState(null, "", "/followup.html" + (q ? "?" + q : ""));
  document.getElementById("csv-link").href = "/api/v1/followup.csv" + (q ? "?" + q : "");
  const sites = document.getElementById("filter-site");
  r.body.rows.forEach(row => {
    if (!sites.querySelector(`option[value="${CSS.escape(row.site)}"]`)) {
      sites.insertAdjacentHTML("beforeend", `<option value="${esc(row.site)}">${esc(row.site)}</option>`);
    }
  });
  const fieldwork = Page.me.role === "fieldwork";
  const body = document.querySelector("#list-table tbody");
  body.innerHTML = r.body.rows.map(row => {
    const last = row.lastAttempt ? `${esc(OUTCOMES[row.lastAttempt.outcome] || row.lastAttempt.outcome)}, ${esc(day(row.lastAttempt.date))}` : "";
    const canRecord = fieldwork && row.state !== "done";
    return `<tr data-participant="${esc(row.participantId)}" data-wave="${esc(row.wave)}" data-state="${esc(row.state)}">
      <td>${esc(row.participantId)}</td><td>${esc(row.site)}</td><td>${esc(row.wave)}</td>
      <td>${esc(day(row.window.opens))} to ${esc(day(row.window.closes))}<br><span class="small">target ${esc(day(row.window.target))}</span></td>
      <td><span class="state state-${esc(row.state)}">${esc(STATES[row.state] || row.state)}</span>${row.completedOn ? "<br><span class=\"small\">" + esc(day(row.completedOn)) + "</span>" : ""}</td>
      <td class="num" data-cell="attempts">${row.attempts}</td><td data-cell="last">${last}</td>
${fieldwork ? `<td class="fieldwork-only" data-cell="contact">${contactCell(row.contact)}</td>
      <td class="fieldwork-only">${canRecord ? `<button type="button" class="secondary record-button">Record an attempt<span class="visually-hidden"> for ${esc(row.participantId)}, ${esc(row.wave)}</span></button>` : ""}</td>` : ""}</tr>`;
  }).join("");
  body.querySelectorAll(".record-button").forEach(b => b.addEventListener("click", () => {
    const tr = b.closest("tr");
    openAttempt(tr.dataset.participant, tr.dataset.wave);
  }));
  document.getElementById("list-count").textContent = r.body.count === 1 ? "1 survey wave listed, as of " + day(r.body.asOf) + "."
    : `${r.body.count} survey waves listed, as of ${day(r.body.asOf)}.`;
}

function openAttempt(participantId, wave) {
  Page.attempt = { participantId, wave };
  const panel = document.getElementById("attempt-panel");
  const form = document.getElementById("attempt-form");
  Forms.clear(form);
  form.reset();
  document.getElementById("attempt-title").textContent = `Record a contact attempt: ${participantId}, ${wave} survey`;
  document.getElementById("attempt-date").value = new Date().toLocaleDateString("en-CA", { timeZone: "Europe/London" });
  panel.hidden = false;
  document.getElementById("attempt-outcome").focus();
}

async function recordAttempt(ev) {
  ev.preventDefault();
  const form = document.getElementById("attempt-form");
  const button = document.getElementById("attempt-button");
  await Forms.busy(button, async () => {
    const a = Page.attempt;
    const body = { date: document.getElementById("attempt-date").value, outcome: document.getElementById("attempt-outcome").value };
    const note = document.getElementById("attempt-note").value.trim();
    if (note) { body.note = note; }
    const r = await Api.call("POST", `/recruits/${encodeURIComponent(a.participantId)}/followup/${encodeURIComponent(a.wave)}/attempts`, body);
    if (r.status !== 200) {
      Forms.showErrors(form, r.body);
      return;
    }
    document.getElementById("attempt-panel").hidden = true;
    document.getElementById("saved").textContent = `Recorded for ${r.body.participantId} (${r.body.wave}): ${OUTCOMES[r.body.outcome]}; `
      + `${r.body.attempts} attempt${r.body.attempts === 1 ? "" : "s"} so far, now ${STATES[r.body.state].toLowerCase()}.`;
    await show();
  });
}

async function init() {
  const me = await Api.me();
  if (!me) { window.location.assign("/index.html"); return; }
  Page.me = me;
  renderHeader(me);
  if (me.role !== "fieldwork" && me.role !== "manager") {
    const refused = document.getElementById("refused");
    refused.hidden = false;
    refused.innerHTML = `<div class="error-summary" role="alert" tabindex="-1" id="refused-message"><h2>The follow-up list is for survey fieldwork and trial managers</h2>
      <p><a href="/index.html">Go to your own pages</a></p></div>`;
    document.getElementById("refused-message").focus();
    document.body.dataset.loaded = "true";
    return;
  }
  document.getElementById("page").hidden = false;
  document.getElementById("contact-hint").textContent = me.role === "fieldwork"
    ? "Contact details, as recorded at baseline, are shown only while a wave is due or overdue."
    : "Contact details are for survey fieldwork only.";
  if (me.role !== "fieldwork") {
    document.querySelectorAll("#list-table .fieldwork-only").forEach(e => e.remove());
    document.getElementById("list-table").classList.add("no-contact");
  }
  const params = new URLSearchParams(window.location.search);
  const site = params.get("site");
  if (site) { document.getElementById("filter-site").insertAdjacentHTML("beforeend", `<option value="${esc(site)}">${esc(site)}</option>`); }
  Object.entries(FILTERS).forEach(([name, id]) => { document.getElementById(id).value = params.get(name) || ""; });
  if (!params.toString() && me.role === "fieldwork") { document.getElementById("filter-state").value = "due"; }
  document.getElementById("filter-form").addEventListener("submit", ev => { ev.preventDefault(); show(); });
  document.getElementById("attempt-form").addEventListener("submit", recordAttempt);
  document.getElementById("attempt-cancel").addEventListener("click", () => { document.getElementById("attempt-panel").hidden = true; });
  await show();
  document.body.dataset.loaded = "true";
}

init();
