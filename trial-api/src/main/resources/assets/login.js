"use strict";

(async function () {
  const me = await Api.me();
  if (me) { window.location.replace(pageAfterLogin(me)); return; }
  const form = document.getElementById("login");
  form.addEventListener("submit", async ev => {
    ev.preventDefault();
    const button = document.getElementById("login-button");
    await Forms.busy(button, async () => {
      const r = await Api.call("POST", "/session", { username: form.username.value.trim(), password: form.password.value });
      if (r.status === 200) {
        // Who signed in with a one-time code must choose a password first (GET /session says so).
        const who = await Api.me();
        window.location.assign(who ? pageAfterLogin(who) : homeOf(r.body.role));
      } else {
        Forms.showErrors(form, r.body || { message: "Log-in failed." });
      }
    });
  });
  document.getElementById("username").focus();
})();
