// Admin: the trial's sites (/api/v1/sites) with their users by role and recruit counts.
"use strict";

const ROLE_NAMES = { specialist: "Employment specialists", manager: "Trial managers", statistician: "Statisticians",
  custodian: "Data custodians", fieldwork: "Survey fieldwork", analyst: "Analysts", admin: "Administrators" };

function usersByRole(byRole) {
  const roles = Object.keys(byRole);
  if (!roles.length) { return `<span class="small">nobody</span>`; }
  return `<ul class="plain">` + roles.map(role => `<li data-role="${esc(role)}"><strong>${esc(ROLE_NAMES[role] || role)}:</strong> `
    + byRole[role].map(u => esc(u.username) + (u.disabled ? ` <span class="small">(disabled)</span>` : "")).join(", ") + `</li>`).join("") + `</ul>`;
}

async function init() {
  const me = await Api.me();
  if (!me) { window.location.assign("/index.html"); return; }
  renderHeader(me);
  if (me.role !== "admin") {
    const refused = document.getElementById("refused");
    refused.hidden = false;
    refused.innerHTML = `<div class="error-summary" role="alert" tabindex="-1" id="refused-message"><h2>The sites page is for the trial's administrators</h2>
      <p><a href="/index.html">Go to your own pages</a></p></div>`;
    document.getElementById("refused-message").focus();
    document.body.dataset.loaded = "true";
    return;
  }
  document.getElementById("page").hidden = false;
  const r = await Api.call("GET", "/sites");
  if (r.status !== 200) {
    document.getElementById("list-errors").innerHTML = `<div class="error-summary" role="alert"><h3>${esc((r.body && r.body.message) || "The sites could not be read.")}</h3></div>`;
    document.body.dataset.loaded = "true";
    return;
  }
  document.querySelector("#sites-table tbody").innerHTML = r.body.sites.map(s => `<tr data-site="${esc(s.code)}">
      <th scope="row"><strong>${esc(s.code)}</strong>: ${esc(s.name)}</th><td>${s.areas.map(esc).join(", ")}</td>
      <td data-cell="users">${usersByRole(s.usersByRole)}</td>
      <td class="num" data-cell="recruits">${s.recruits}</td><td class="num" data-cell="randomised">${s.randomised}</td></tr>`).join("");
  document.getElementById("across").innerHTML = usersByRole(r.body.usersWithoutSite);
  document.body.dataset.loaded = "true";
}

init();
