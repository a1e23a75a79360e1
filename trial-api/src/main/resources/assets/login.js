"use strict";

/** The page a role starts on. */
function homeOf(role) {
  if (role === "specialist") { return "/specialist.html"; }
  if (role === "manager" || role === "statistician") { return "/dashboard.html"; }
  if (role === "fieldwork") { return "/followup.html"; }
  return "/no-pages.html";
}

(async function () {
  const me = await Api.me();
  if (me) { window.location.replace(homeOf(me.role)); return; }
  const form = document.getElementById("login");
  form.addEventListener("submit", async ev => {
    ev.preventDefault();
    const button = document.getElementById("login-button");
    await Forms.busy(button, async () => {
      const r = await Api.call("POST", "/session", { username: form.username.value.trim(), password: form.password.value });
      if (r.status === 200) {
        window.location.assign(homeOf(r.body.role));
      } else {
        Forms.showErrors(form, r.body || { message: "Log-in failed." });
      }
    });
  });
  document.getElementById("username").focus();
})();
