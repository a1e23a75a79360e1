// The specialist's caseload and the quick session entry (for a tablet at the end of a meeting); a manager sees every caseload of their sites.
"use strict";

const Caseload = { me: null, current: null, today: null };

function shortDay(d) { return d ? new Date(d + "T00:00:00Z").toLocaleDateString("en-GB", { day: "numeric", month: "short", year: "numeric", timeZone: "UTC" }) : "&ndash;"; }

async function init() {
  const me = await Api.me();
  if (!me) { window.location.assign("/index.html"); return; }
  renderHeader(me);
  Caseload.me = me;
  if (me.role !== "specialist" && me.role !== "manager") {
    const refused = document.getElementById("refused");
    refused.hidden = false;
    refused.innerHTML = `<div class="error-summary" role="alert" tabindex="-1" id="refused-message"><h2>The caseload is for employment specialists and trial managers</h2>
      <p><a href="/index.html">Go to your own pages</a></p></div>`;
    document.getElementById("refused-message").focus();
    return;
  }
  document.getElementById("page").hidden = false;
  if (me.role === "manager") {
    document.getElementById("recruitment-link").href = "/dashboard.html";
    document.getElementById("recruitment-link").textContent = "Dashboard";
    document.getElementById("caseload-hint").textContent = "Every treatment-group recruit of your sites: when they were last seen and what comes next. Specialists record; you correct and delete from the delivery report page.";
  }
  document.getElementById("session-form").addEventListener("submit", saveSession);
  document.getElementById("other-form").addEventListener("submit", saveOther);
  document.getElementById("close-entry").addEventListener("click", closeEntry);
  document.getElementById("other-kind").addEventListener("change", showKindFields);
  document.querySelectorAll("[data-minutes]").forEach(b => b.addEventListener("click", () => {
    document.getElementById("session-minutes").value = b.dataset.minutes;
  }));
  showKindFields();
  await load();
  document.body.dataset.loaded = "true";
}

function showKindFields() {
  const kind = document.getElementById("other-kind").value;
  document.querySelectorAll("#other-form [data-kind]").forEach(e => { e.hidden = e.dataset.kind !== kind; });
}

async function load() {
  const r = await Api.call("GET", "/delivery/caseload");
  const table = document.getElementById("caseload-table");
  if (r.status !== 200) {
    table.insertAdjacentHTML("afterend", `<p class="error-summary" role="alert">${esc((r.body && r.body.message) || "The caseload could not be loaded.")}</p>`);
    return;
  }
  Caseload.today = r.body.today;
  const recording = Caseload.me.role === "specialist";
  const head = `<thead><tr><th scope="col">Participant</th><th scope="col">Name</th><th scope="col">Randomised</th><th scope="col" class="num">Sessions</th>
    <th scope="col">Last contact</th><th scope="col">Next step</th><th scope="col">Not recorded yet</th>${recording ? '<th scope="col"><span class="visually-hidden">Record</span></th>' : ""}</tr></thead>`;
  const rows = r.body.recruits.map(c => `<tr data-participant="${esc(c.participantId)}">
      <th scope="row" class="nowrap">${esc(c.participantId)}</th><td>${esc(c.name || "")}</td><td class="nowrap">${shortDay(c.randomisedOn)}</td>
      <td class="num" data-cell="sessions">${c.sessions}</td><td class="nowrap" data-cell="last">${shortDay(c.lastContact)}</td>
      <td>${esc(c.nextStep)}</td><td>${c.missing.map(m => `<span class="flagged">${esc(m)}</span>`).join("<br>")}</td>
      ${recording ? `<td><button type="button" class="record" data-participant="${esc(c.participantId)}" data-name="${esc(c.name || c.participantId)}"
        data-randomised="${esc(c.randomisedOn)}">Record a session<span class="visually-hidden"> for ${esc(c.participantId)}</span></button></td>` : ""}</tr>`).join("");
  table.innerHTML = table.querySelector("caption").outerHTML + head + `<tbody>${rows || '<tr><td colspan="8">No treatment-group recruits yet.</td></tr>'}</tbody>`;
  table.querySelectorAll("button.record").forEach(b => b.addEventListener("click", () => openEntry(b.dataset)));
}

function openEntry(data) {
  Caseload.current = data.participant;
  const entry = document.getElementById("entry");
  entry.hidden = false;
  document.getElementById("entry-title").textContent = `Record a session: ${data.name} (${data.participant})`;
  ["session-date", "other-date"].forEach(id => {
    const input = document.getElementById(id);
    input.value = Caseload.today;
    input.max = Caseload.today;
    input.min = data.randomised;
  });
  Forms.clear(document.getElementById("session-form"));
  Forms.clear(document.getElementById("other-form"));
  document.getElementById("entry-result").textContent = "";
  document.getElementById("list").hidden = true;
  document.getElementById("entry-title").focus();
}

async function closeEntry() {
  document.getElementById("entry").hidden = true;
  document.getElementById("list").hidden = false;
  await load();
}

async function send(form, body, button) {
  await Forms.busy(button, async () => {
    const r = await Api.call("POST", `/recruits/${encodeURIComponent(Caseload.current)}/delivery`, body);
    if (r.status === 201) {
      Forms.clear(form);
      const result = document.getElementById("entry-result");
      result.innerHTML = `<p class="notice" id="saved">Saved: ${esc(body.kind.replace(/_/g, " "))} on ${shortDay(body.date)}.</p>`;
    } else {
      Forms.showErrors(form, r.body);
    }
  });
}

async function saveSession(ev) {
  ev.preventDefault();
  const form = ev.target;
  const minutes = form.minutes.value.trim();
  const body = { kind: "session", date: form.date.value, mode: (form.querySelector("input[name=mode]:checked") || {}).value,
    minutes: minutes === "" ? null : Number(minutes) };
  if (form.note.value.trim()) { body.note = form.note.value.trim(); }
  await send(form, body, document.getElementById("session-button"));
}

async function saveOther(ev) {
  ev.preventDefault();
  const form = ev.target;
  const kind = form.kind.value;
  const body = { kind, date: form.date.value };
  if (kind === "employer_contact") { body.faceToFace = document.getElementById("other-f2f").checked; }
  if (kind === "job_start") {
    body.jobType = document.getElementById("job-type").value;
    const hours = document.getElementById("job-hours").value.trim();
    body.hoursPerWeek = hours === "" ? null : Number(hours);
    body.employerName = document.getElementById("job-employer").value;
    body.atLeastMinimumWage = document.getElementById("job-wage").checked;
    body.permanent = document.getElementById("job-permanent").checked;
  }
  await send(form, body, document.getElementById("other-button"));
}

init();
