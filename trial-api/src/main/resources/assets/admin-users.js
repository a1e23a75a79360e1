// Admin: every user (/api/v1/users) and what an admin does to them: add, disable and enable, unlock,
// change role and site, reset the password. A new user and a reset give a one-time code, shown once here.
"use strict";

const ROLES = { specialist: "Employment specialist", manager: "Trial manager", statistician: "Statistician",
  custodian: "Data custodian", fieldwork: "Survey fieldwork", analyst: "Analyst", admin: "Administrator" };
const Page = { sites: [], users: [], editing: null };

function when(iso) {
  return iso ? new Date(iso).toLocaleString("en-GB", { day: "numeric", month: "short", year: "numeric", hour: "2-digit",
    minute: "2-digit", timeZone: "Europe/London" }) : "";
}

function statusOf(u) {
  const parts = [];
  if (u.disabled) { parts.push(`<span class="state state-overdue">Disabled</span>`); }
  if (u.locked) { parts.push(`<span class="state state-overdue">Locked out</span> <span class="small">after failed sign-ins, until ${esc(when(u.lockedUntil))}</span>`); }
  if (u.passwordChangeRequired) {
    const expired = u.oneTimeCodeExpiresAt && new Date(u.oneTimeCodeExpiresAt) <= new Date();
    parts.push(expired ? `<span class="state state-overdue">One-time code expired</span> <span class="small">reset the password for a new one</span>`
      : `<span class="state">Must choose a password</span> <span class="small">code works until ${esc(when(u.oneTimeCodeExpiresAt))}</span>`);
  }
  return parts.length ? parts.join("<br>") : `<span class="state">Active</span>`;
}

function siteOptions(select, chosen) {
  select.innerHTML = `<option value="">No site</option>` + Page.sites.map(s =>
    `<option value="${esc(s.code)}"${s.code === chosen ? " selected" : ""}>${esc(s.code)}: ${esc(s.name)}</option>`).join("");
}

function roleOptions(select, chosen) {
  select.innerHTML = (chosen ? "" : `<option value="">Choose a role</option>`) + Object.entries(ROLES).map(([code, name]) =>
    `<option value="${code}"${code === chosen ? " selected" : ""}>${esc(name)}</option>`).join("");
}

function button(action, label, username, kind) {
  return `<button type="button" class="${kind || "secondary"}" data-action="${action}" data-username="${esc(username)}">${esc(label)}<span class="visually-hidden">: ${esc(username)}</span></button>`;
}

async function load() {
  const r = await Api.call("GET", "/users");
  const errors = document.getElementById("list-errors");
  if (r.status !== 200) {
    errors.innerHTML = `<div class="error-summary" role="alert"><h3>${esc((r.body && r.body.message) || "The users could not be read.")}</h3></div>`;
    return;
  }
  errors.innerHTML = "";
  Page.users = r.body;
  document.querySelector("#users-table tbody").innerHTML = r.body.map(u => `<tr data-username="${esc(u.username)}">
      <th scope="row">${esc(u.username)}</th><td>${esc(ROLES[u.role] || u.role)}</td><td>${esc(u.site || "")}</td>
      <td data-cell="status">${statusOf(u)}</td><td class="nowrap">${u.lastLoginAt ? esc(when(u.lastLoginAt)) : `<span class="small">never</span>`}</td>
      <td><div class="row-actions">
        ${u.disabled ? button("enable", "Enable", u.username) : button("disable", "Disable", u.username, "danger")}
        ${u.locked ? button("unlock", "Unlock", u.username) : ""}
        ${button("role", "Change role or site", u.username)}
        ${button("reset", "Reset password", u.username)}
        ${button("two-factor", "Reset two-factor", u.username)}</div></td></tr>`).join("");
  document.querySelectorAll("#users-table button[data-action]").forEach(b => b.addEventListener("click", () => act(b)));
}

function showDone(text) {
  document.getElementById("done").innerHTML = `<div class="notice"><p>${esc(text)}</p></div>`;
}

function showRefusal(r) {
  const body = r.body || { message: "That did not work. Try again." };
  const fields = (body.fieldErrors || []).map(f => `<li>${esc(f.message)}</li>`).join("");
  document.getElementById("done").innerHTML = `<div class="error-summary" role="alert" tabindex="-1" id="refusal"><h3>${esc(body.message)}</h3>${fields ? `<ul>${fields}</ul>` : ""}</div>`;
  document.getElementById("refusal").focus();
}

/** The one-time code, shown this once: the admin gives it to the user, who signs in with it and chooses a password. */
function showCode(answer, what) {
  const panel = document.getElementById("code-panel");
  panel.hidden = false;
  panel.innerHTML = `<div class="result" role="alert" tabindex="-1" id="code-result">
    <h2>${esc(what)}: one-time code for ${esc(answer.user.username)}</h2>
    <p>Give this code to ${esc(answer.user.username)} in person or by phone. They sign in with it as their password and then choose
      their own. <strong>It is shown only now</strong> and works once, until ${esc(when(answer.expiresAt))}.</p>
    <p><code id="one-time-code" class="one-time-code">${esc(answer.oneTimeCode)}</code></p>
    <div class="actions"><button type="button" id="code-hide" class="secondary">I have noted it: hide the code</button></div></div>`;
  document.getElementById("code-hide").addEventListener("click", () => { panel.hidden = true; panel.innerHTML = ""; });
  document.getElementById("code-result").focus();
}

async function act(b) {
  const username = b.dataset.username;
  const path = "/users/" + encodeURIComponent(username);
  document.getElementById("done").innerHTML = "";
  if (b.dataset.action === "role") { openRole(username); return; }
  if (b.dataset.action === "disable" && !window.confirm(`Disable ${username}? Their sessions end and they can no longer sign in.`)) { return; }
  if (b.dataset.action === "two-factor" && !window.confirm(`Reset the second factor of ${username} (a lost phone)? Their sessions end, `
      + "their recovery codes stop working, and they set it up again at their next sign-in.")) { return; }
  if (b.dataset.action === "reset" && !window.confirm(`Reset the password of ${username}? Their password stops working now and you get a one-time code for them.`)) { return; }
  await Forms.busy(b, async () => {
    let r;
    if (b.dataset.action === "disable" || b.dataset.action === "enable") {
      r = await Api.call("PUT", path + "/disabled", { disabled: b.dataset.action === "disable" });
    } else if (b.dataset.action === "unlock") {
      r = await Api.call("POST", path + "/unlock");
    } else if (b.dataset.action === "two-factor") {
      r = await Api.call("DELETE", "/two-factor" + path);
    } else {
      r = await Api.call("POST", path + "/password-reset");
    }
    if (r.status === 200) {
      showCode(r.body, "Password reset");
    } else if (r.status === 204) {
      showDone({ disable: `${username} is disabled.`, enable: `${username} is enabled again.`, unlock: `${username} is unlocked.`,
        "two-factor": `The second factor of ${username} is reset: they set it up again at their next sign-in.` }[b.dataset.action]);
    } else {
      showRefusal(r);
    }
    await load();
  });
}

function openRole(username) {
  const user = Page.users.find(u => u.username === username);
  Page.editing = username;
  const form = document.getElementById("role-form");
  Forms.clear(form);
  roleOptions(document.getElementById("role-role"), user.role);
  siteOptions(document.getElementById("role-site"), user.site);
  document.getElementById("role-title").textContent = `Change the role or site of ${username}`;
  document.getElementById("role-panel").hidden = false;
  document.getElementById("role-role").focus();
}

async function saveRole(ev) {
  ev.preventDefault();
  const form = document.getElementById("role-form");
  await Forms.busy(document.getElementById("role-button"), async () => {
    const body = { role: document.getElementById("role-role").value };
    const site = document.getElementById("role-site").value;
    if (site) { body.site = site; }
    const r = await Api.call("PUT", "/users/" + encodeURIComponent(Page.editing) + "/role", body);
    if (r.status !== 204) { Forms.showErrors(form, r.body); return; }
    document.getElementById("role-panel").hidden = true;
    showDone(`${Page.editing} is now ${ROLES[body.role]}${site ? " at site " + site : ""}.`);
    await load();
  });
}

async function create(ev) {
  ev.preventDefault();
  const form = document.getElementById("create-form");
  await Forms.busy(document.getElementById("create-button"), async () => {
    const body = { username: document.getElementById("new-username").value.trim(), role: document.getElementById("new-role").value || null };
    const site = document.getElementById("new-site").value;
    if (site) { body.site = site; }
    const r = await Api.call("POST", "/users", body);
    if (r.status !== 201) { Forms.showErrors(form, r.body); return; }
    Forms.clear(form);
    form.reset();
    showCode(r.body, "New user");
    await load();
  });
}

async function init() {
  const me = await Api.me();
  if (!me) { window.location.assign("/index.html"); return; }
  renderHeader(me);
  if (me.role !== "admin") {
    const refused = document.getElementById("refused");
    refused.hidden = false;
    refused.innerHTML = `<div class="error-summary" role="alert" tabindex="-1" id="refused-message"><h2>User administration is for the trial's administrators</h2>
      <p><a href="/index.html">Go to your own pages</a></p></div>`;
    document.getElementById("refused-message").focus();
    document.body.dataset.loaded = "true";
    return;
  }
  document.getElementById("page").hidden = false;
  const sites = await Api.call("GET", "/sites");
  Page.sites = sites.status === 200 ? sites.body.sites : [];
  roleOptions(document.getElementById("new-role"), null);
  siteOptions(document.getElementById("new-site"), null);
  document.getElementById("create-form").addEventListener("submit", create);
  document.getElementById("role-form").addEventListener("submit", saveRole);
  document.getElementById("role-cancel").addEventListener("click", () => { document.getElementById("role-panel").hidden = true; });
  await load();
  document.body.dataset.loaded = "true";
}

init();
