// The specialist's pages: a site's recruits, a new recruit, and the first appointment step by step.
"use strict";

const State = { me: null, structure: null, forms: null, recruit: null };

const STEP_NAMES = { screening: "Screening", agreement: "Agreement", identity: "Identifiers and contact", baseline: "Baseline questionnaire", randomise: "Randomise" };
const MISSING = [[-8, "Don't know"], [-9, "Prefer not to say"], [-1, "Not applicable"]];

function say(text) {
  const s = document.getElementById("status");
  s.textContent = "";
  window.setTimeout(() => { s.textContent = text; }, 50);
}

function formatId(pid) { return pid ? pid.slice(0, 4) + " " + pid.slice(4) : ""; }

async function init() {
  const me = await Api.me();
  if (!me) { window.location.assign("/index.html"); return; }
  if (me.role !== "specialist") {
    document.getElementById("main").innerHTML = "<h2>This page is for employment specialists</h2><p><a href='/index.html'>Go to your pages</a></p>";
    return;
  }
  State.me = me;
  renderHeader(me);
  const [structure, forms] = await Promise.all([Api.call("GET", "/reports/structure"), Api.call("GET", "/forms")]);
  State.structure = structure.body;
  State.forms = forms.body;
  const site = State.structure.sites.find(s => s.code === me.site);
  const area = document.getElementById("area");
  area.innerHTML = "<option value=''>Choose the area</option>" +
    site.areas.map(a => `<option value="${esc(a.code)}">${esc(a.name)} (${esc(a.code)})</option>`).join("");
  document.getElementById("start").addEventListener("submit", startRecruit);
  document.getElementById("search").addEventListener("submit", ev => { ev.preventDefault(); search(); });
  document.getElementById("close-recruit").addEventListener("click", closeRecruit);
  const resume = new URLSearchParams(window.location.search).get("recruit");
  if (resume) { await openRecruit(resume); } else { await search(); }
}

async function search() {
  const form = document.getElementById("search");
  Forms.clear(form);
  const q = form.q.value.trim();
  const r = await Api.call("GET", "/recruits" + (q ? "?q=" + encodeURIComponent(q) : ""));
  if (r.status !== 200) { Forms.showErrors(form, r.body); return; }
  const rows = r.body;
  document.getElementById("found").textContent = rows.length === 1 ? "1 recruit found." : `${rows.length} recruits found.`;
  document.getElementById("recruits").innerHTML = rows.map(x => `<tr>
      <td>${esc(formatId(x.participantId))}</td><td>${esc(x.displayName || "not recorded yet")}</td>
      <td>${esc(x.trialGroup || "not screened")}</td><td>${esc(new Date(x.createdAt).toLocaleDateString("en-GB"))}</td>
      <td>${x.randomised ? "Randomised" : "Not randomised yet"}${x.status && x.status !== "active" ? " (" + esc(x.status.replace(/_/g, " ")) + ")" : ""}</td>
      <td><button type="button" class="secondary" data-open="${esc(x.participantId)}">${x.randomised ? "View" : "Resume"}<span class="visually-hidden"> recruit ${esc(formatId(x.participantId))}</span></button></td>
    </tr>`).join("");
  document.querySelectorAll("[data-open]").forEach(b => b.addEventListener("click", () => openRecruit(b.dataset.open)));
}

async function startRecruit(ev) {
  ev.preventDefault();
  const form = ev.target;
  await Forms.busy(document.getElementById("start-button"), async () => {
    const r = await Api.call("POST", "/recruits", { site: State.me.site, area: form.area.value || null });
    if (r.status !== 201) { Forms.showErrors(form, r.body); return; }
    Forms.clear(form);
    await showRecruit(r.body);
  });
}

async function openRecruit(pid) {
  const r = await Api.call("GET", "/recruits/" + encodeURIComponent(pid));
  if (r.status !== 200) { say((r.body && r.body.message) || "The recruit could not be opened."); return; }
  await showRecruit(r.body);
}

function closeRecruit() {
  State.recruit = null;
  document.getElementById("recruit").hidden = true;
  document.getElementById("home").hidden = false;
  history.replaceState(null, "", "/specialist.html");
  search();
  document.getElementById("list-title").focus();
}

/** The first remaining step, from the API's list ("screening: ..."), or randomise / done. */
function currentStep(recruit) {
  if (recruit.allocation) { return "done"; }
  if (recruit.stepsRemaining.length === 0) { return "randomise"; }
  const first = recruit.stepsRemaining[0].split(":")[0];
  return first === "randomisation" ? "randomise" : first;
}

async function showRecruit(recruit) {
  State.recruit = recruit;
  history.replaceState(null, "", "/specialist.html?recruit=" + recruit.participantId);
  document.getElementById("home").hidden = true;
  const panel = document.getElementById("recruit");
  panel.hidden = false;
  const title = document.getElementById("recruit-title");
  title.textContent = `Recruit ${formatId(recruit.participantId)}` + (recruit.displayName ? ` (${recruit.displayName})` : "");
  const step = currentStep(recruit);
  const order = ["screening", "agreement", "identity", "baseline", "randomise"];
  const remaining = recruit.stepsRemaining.map(s => s.split(":")[0]);
  document.getElementById("steps").innerHTML = order.map(s => {
    const done = step === "done" || (s !== "randomise" && !remaining.includes(s));
    const cls = s === step ? "current" : (done ? "done" : "");
    return `<li class="${cls}"${s === step ? " aria-current='step'" : ""}>${STEP_NAMES[s]}${done ? "<span class='visually-hidden'> (done)</span>" : ""}</li>`;
  }).join("");
  const container = document.getElementById("step");
  const notes = recruit.stepsRemaining.filter(s => s.startsWith(step + ":")).map(s => s.slice(s.indexOf(":") + 2));
  ({ screening: renderScreening, agreement: renderAgreement, identity: renderIdentity, baseline: renderBaseline,
     randomise: renderRandomise, done: renderDone, status: renderStopped }[step] || renderStopped)(container, recruit, notes);
  title.focus();
}

function yesNo(name, legend, field, hintHtml) {
  return `<fieldset class="choice" data-field="${esc(field)}" data-label="${esc(legend)}">
    <legend>${esc(legend)}</legend>${hintHtml || ""}
    <label><input type="radio" name="${esc(name)}" value="true"> Yes</label>
    <label><input type="radio" name="${esc(name)}" value="false"> No</label>
  </fieldset>`;
}

function radioValue(form, name) {
  const checked = form.querySelector(`input[name="${CSS.escape(name)}"]:checked`);
  return checked ? checked.value === "true" : null;
}

function renderScreening(container, recruit, notes) {
  const groups = State.structure.trialGroups.filter(g => g.site === recruit.site);
  const earlier = recruit.screening && !recruit.screening.eligible
    ? `<div class="notice warn" role="status"><p>The last screening found the recruit not eligible:</p><ul>${recruit.screening.failedCriteria.map(c => `<li>${esc(c.text)}</li>`).join("")}</ul><p>You may screen again if an answer was recorded wrongly.</p></div>` : "";
  container.innerHTML = `<h3>Screening</h3>${earlier}
    <form id="screening" novalidate>
      <fieldset class="choice" data-field="trialGroup" data-label="Trial group">
        <legend>Which trial group is the recruit screened for?</legend>
        ${groups.map(g => `<label><input type="radio" name="trialGroup" value="${esc(g.code)}"${groups.length === 1 || (recruit.trialGroup === g.code) ? " checked" : ""}> ${esc(g.name)}</label>`).join("")}
      </fieldset>
      <div id="questions"></div>
      <div class="actions"><button type="submit" id="screen-button">Record the screening</button></div>
    </form>`;
  const form = container.querySelector("form");
  const renderQuestions = () => {
    const group = (form.querySelector("input[name=trialGroup]:checked") || {}).value;
    const questions = group ? State.forms.screeningQuestions.filter(q => q.trialGroups.includes(group)) : [];
    form.querySelector("#questions").innerHTML = questions.map(q => yesNo("q-" + q.id, q.text, "answers." + q.id)).join("");
  };
  form.querySelectorAll("input[name=trialGroup]").forEach(i => i.addEventListener("change", renderQuestions));
  renderQuestions();
  form.addEventListener("submit", async ev => {
    ev.preventDefault();
    const group = (form.querySelector("input[name=trialGroup]:checked") || {}).value || null;
    const answers = {};
    if (group) {
      State.forms.screeningQuestions.filter(q => q.trialGroups.includes(group)).forEach(q => {
        const v = radioValue(form, "q-" + q.id);
        if (v !== null) { answers[q.id] = v; }
      });
    }
    await Forms.busy(form.querySelector("#screen-button"), async () => {
      const r = await Api.call("POST", `/recruits/${recruit.participantId}/screening`, { trialGroup: group, answers });
      if (r.status !== 200) { Forms.showErrors(form, r.body); return; }
      say(r.body.eligible ? "The recruit is eligible." : "The recruit is not eligible.");
      await openRecruit(recruit.participantId);
    });
  });
}

function renderAgreement(container, recruit, notes) {
  const f = State.forms;
  const earlier = recruit.agreement && !recruit.agreement.agreed
    ? `<div class="notice warn" role="status">A required statement was declined last time, so the recruit cannot be randomised. Ask again only if the recruit wants to reconsider.</div>` : "";
  container.innerHTML = `<h3>Agreement (form ${esc(f.formVersion)})</h3>${earlier}
    <p class="hint">Read each statement to the recruit and record their answer. Statements marked required must be agreed to take part.</p>
    <form id="agreement" novalidate>
      ${f.statements.map(s => `<fieldset class="choice" data-field="answers.${esc(s.id)}" data-label="${esc(s.text)}">
          <legend>${esc(s.text)} ${s.required ? "<span class='muted'>(required)</span>" : "<span class='muted'>(optional)</span>"}</legend>
          <label><input type="radio" name="s-${esc(s.id)}" value="true"> Agrees</label>
          <label><input type="radio" name="s-${esc(s.id)}" value="false"> Does not agree</label>
        </fieldset>`).join("")}
      <div class="actions"><button type="submit" id="agree-button">Record the agreement</button></div>
    </form>`;
  const form = container.querySelector("form");
  form.addEventListener("submit", async ev => {
    ev.preventDefault();
    const answers = {};
    f.statements.forEach(s => { const v = radioValue(form, "s-" + s.id); if (v !== null) { answers[s.id] = v; } });
    await Forms.busy(form.querySelector("#agree-button"), async () => {
      const r = await Api.call("POST", `/recruits/${recruit.participantId}/agreement`, { formVersion: f.formVersion, answers });
      if (r.status !== 200) { Forms.showErrors(form, r.body); return; }
      say(r.body.agreed ? "Agreement recorded." : "A required statement was declined.");
      await openRecruit(recruit.participantId);
    });
  });
}

const IDENTITY_FIELDS = [
  ["givenName", "Given name", "text", "given-name"], ["familyName", "Family name", "text", "family-name"],
  ["dateOfBirth", "Date of birth", "date", "bday"],
  ["sex", "Sex", "select", null, [["female", "Female"], ["male", "Male"], ["intersex", "Intersex"], ["prefer_not_to_say", "Prefer not to say"]]],
  ["nationalInsuranceNumber", "National Insurance number", "text", null, null, "For example QQ 12 34 56 C. Leave empty if not known."],
  ["nhsNumber", "NHS number", "text", null, null, "10 digits. Leave empty if not known."],
  ["postcode", "Postcode", "text", "postal-code"], ["address", "Address", "textarea", "street-address"],
  ["phone", "Phone", "tel", "tel"], ["email", "Email", "email", "email"],
  ["language", "Preferred language", "text", null], ["communicationNeeds", "Communication needs", "text", null, null, "Optional."],
  ["surveyMode", "How the recruit would like to answer surveys", "select", null, [["telephone", "Telephone"], ["face_to_face", "Face to face"], ["web", "Online"]]],
  ["surveyModeReason", "Reason for that survey mode", "select", null, [["", "No particular reason"], ["bsl_user", "British Sign Language user"], ["hearing_difficulty", "Hearing difficulty"], ["phone_anxiety", "Anxiety about telephones"], ["preference", "Preference"]]]
];

function renderIdentity(container, recruit) {
  container.innerHTML = `<h3>Identifiers and contact details</h3>
    <p class="hint">Give at least one way to contact the recruit: phone, email or address.</p>
    <form id="identity" novalidate>
      ${IDENTITY_FIELDS.map(([id, label, type, auto, options, hint]) => {
        const hintHtml = hint ? `<p class="hint" id="h-${id}">${esc(hint)}</p>` : "";
        const described = hint ? ` aria-describedby="h-${id}"` : "";
        const autoc = auto ? ` autocomplete="${auto}"` : "";
        let control;
        if (type === "select") {
          control = `<select id="i-${id}" name="${id}" data-field="${id}"${described}>${id === "surveyModeReason" ? "" : "<option value=''>Choose</option>"}${options.map(([v, l]) => `<option value="${esc(v)}">${esc(l)}</option>`).join("")}</select>`;
        } else if (type === "textarea") {
          control = `<textarea id="i-${id}" name="${id}" data-field="${id}"${autoc}${described}></textarea>`;
        } else {
          control = `<input id="i-${id}" name="${id}" type="${type}" data-field="${id}"${autoc}${described}>`;
        }
        return `<div class="field"><label for="i-${id}">${esc(label)}</label>${hintHtml}${control}</div>`;
      }).join("")}
      <div class="actions"><button type="submit" id="identity-button">Record identifiers and contact details</button></div>
    </form>`;
  const form = container.querySelector("form");
  form.addEventListener("submit", async ev => {
    ev.preventDefault();
    const body = {};
    IDENTITY_FIELDS.forEach(([id]) => { const v = form.elements[id].value.trim(); body[id] = v === "" ? null : v; });
    await Forms.busy(form.querySelector("#identity-button"), async () => {
      const r = await Api.call("PUT", `/recruits/${recruit.participantId}/identity`, body);
      if (r.status !== 200) { Forms.showErrors(form, r.body); return; }
      say("Identifiers recorded.");
      await showRecruit(r.body);
    });
  });
}

function renderBaseline(container, recruit) {
  const items = State.forms.baselineItems;
  container.innerHTML = `<h3>Baseline questionnaire (${esc(State.forms.baselineVersion)})</h3>
    <p class="hint">Every question needs an answer; "Don't know" and "Prefer not to say" are answers too.</p>
    <form id="baseline" novalidate>${items.map(baselineItem).join("")}
      <div class="actions"><button type="submit" id="baseline-button">Record the baseline answers</button></div>
    </form>`;
  const form = container.querySelector("form");
  form.addEventListener("submit", async ev => {
    ev.preventDefault();
    const answers = {};
    items.forEach(item => {
      if (item.type === "multi") {
        const codes = [...form.querySelectorAll(`input[name="b-${CSS.escape(item.id)}"]:checked`)].map(c => Number(c.value));
        if (codes.length) { answers[item.id] = codes; }
      } else {
        const v = form.elements["b-" + item.id].value.trim();
        if (v !== "") { answers[item.id] = /^-?\d+$/.test(v) ? Number(v) : v; }
      }
    });
    await Forms.busy(form.querySelector("#baseline-button"), async () => {
      const r = await Api.call("PUT", `/recruits/${recruit.participantId}/baseline`, { answers });
      if (r.status !== 200) {
        Forms.showErrors(form, r.body, field => {
          const item = items.find(i => "answers." + i.id === field);
          return item ? item.label : field;
        });
        return;
      }
      say("Baseline recorded.");
      await showRecruit(r.body);
    });
  });
}

function baselineItem(item) {
  const id = "b-" + item.id;
  const field = "answers." + item.id;
  if (item.type === "single") {
    return `<div class="field"><label for="${id}">${esc(item.label)}</label>
      <select id="${id}" name="${id}" data-field="${field}" data-label="${esc(item.label)}"><option value="">Choose an answer</option>
      ${item.codes.map(c => `<option value="${c.code}">${esc(c.label)}</option>`).join("")}
      ${MISSING.map(([c, l]) => `<option value="${c}">${l}</option>`).join("")}</select></div>`;
  }
  if (item.type === "multi") {
    return `<fieldset class="choice" data-field="${field}" data-label="${esc(item.label)}"><legend>${esc(item.label)}</legend>
      <p class="hint">Tick every one that applies, or one of the last three.</p>
      ${item.codes.map(c => `<label><input type="checkbox" name="${id}" value="${c.code}"> ${esc(c.label)}</label>`).join("")}
      ${MISSING.map(([c, l]) => `<label><input type="checkbox" name="${id}" value="${c}"> ${l}</label>`).join("")}</fieldset>`;
  }
  return `<div class="field"><label for="${id}">${esc(item.label)}</label>
    <p class="hint" id="h-${id}">A whole number from ${item.min} to ${item.max}; -8 for don't know, -9 for prefer not to say.</p>
    <input id="${id}" name="${id}" type="text" inputmode="numeric" data-field="${field}" data-label="${esc(item.label)}" aria-describedby="h-${id}"></div>`;
}

/** One key per recruit and page visit: a retry after a lost answer gets the same allocation back. */
function idempotencyKey(pid) {
  const name = "randomise-" + pid;
  let key = sessionStorage.getItem(name);
  if (!key) {
    key = (window.crypto && crypto.randomUUID) ? crypto.randomUUID() : pid + "-" + Date.now() + "-" + Math.random();
    sessionStorage.setItem(name, key);
  }
  return key;
}

function renderRandomise(container, recruit) {
  container.innerHTML = `<h3>Randomise</h3>
    <p>Every step is complete. Randomise only with the recruit present, once you have explained what happens next.</p>
    <form id="randomise" novalidate>
      <div class="actions"><button type="submit" id="randomise-button">Randomise this recruit</button></div>
    </form>
    <div id="result" aria-live="assertive"></div>`;
  const form = container.querySelector("form");
  form.addEventListener("submit", async ev => {
    ev.preventDefault();
    await Forms.busy(form.querySelector("#randomise-button"), async () => {
      const r = await Api.call("POST", "/randomisations", { participantId: recruit.participantId },
        { "Idempotency-Key": idempotencyKey(recruit.participantId) });
      if (r.status !== 200) { Forms.showErrors(form, r.body); return; }
      const view = await Api.call("GET", "/recruits/" + recruit.participantId);
      await showRecruit(view.status === 200 ? view.body : Object.assign({}, recruit, { allocation: r.body }));
    });
  });
}

function renderDone(container, recruit) {
  const a = recruit.allocation;
  container.innerHTML = `<h3>Randomised</h3>
    <div class="result" id="result" role="status" aria-live="polite">
      <p id="result-message">${esc(a.message)}</p>
      <p><strong>Next step:</strong> <span id="result-next">${esc(a.nextStep)}</span></p>
      <p class="muted">Recorded ${esc(new Date(a.allocatedAt).toLocaleString("en-GB"))}.</p>
    </div>
    <p class="downloads"><a id="confirmation-pdf" class="button secondary" download
      href="${esc(Api.base + "/recruits/" + encodeURIComponent(recruit.participantId) + "/allocation/confirmation.pdf")}"
      aria-describedby="confirmation-hint">Print confirmation (PDF)</a></p>
    <p class="hint" id="confirmation-hint">One page for the recruit's file: participant identifier, date and time, allocation and who randomised; no name or other identifier.</p>`;
  say(a.message + " Next step: " + a.nextStep);
}

function renderStopped(container, recruit, notes) {
  container.innerHTML = `<div class="notice warn" role="status">${esc(notes.join(" ") || "This recruit cannot go further.")}</div>`;
}

init();
