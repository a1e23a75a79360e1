"use strict";

(async function () {
  const me = await Api.me();
  if (me) { window.location.replace(pageAfterLogin(me)); return; }
  const form = document.getElementById("login");
  const second = document.getElementById("second-factor");
  /** The session is usable: on to the role's page (the password page first after a one-time code). */
  async function signedIn(role) {
    const who = await Api.me();
    window.location.assign(who ? pageAfterLogin(who) : homeOf(role));
  }
  form.addEventListener("submit", async ev => {
    ev.preventDefault();
    const button = document.getElementById("login-button");
    await Forms.busy(button, async () => {
      const r = await Api.call("POST", "/session", { username: form.username.value.trim(), password: form.password.value });
      if (r.status !== 200) {
        Forms.showErrors(form, r.body || { message: "Log-in failed." });
      } else if (r.body.pendingStep === "enrolment") {
        // The role signs in with a second factor and this user has none yet: set it up first.
        window.location.assign("/two-factor.html");
      } else if (r.body.pendingStep === "code") {
        form.hidden = true;
        second.hidden = false;
        document.getElementById("code").focus();
      } else {
        await signedIn(r.body.role);
      }
    });
  });
  second.addEventListener("submit", async ev => {
    ev.preventDefault();
    await Forms.busy(document.getElementById("code-button"), async () => {
      const r = await Api.call("POST", "/session/code", { code: second.code.value.trim() });
      if (r.status === 200) {
        await signedIn(r.body.role);
      } else if (r.status === 401 && r.body && r.body.code !== "second_factor_failed") {
        // The sign-in ended (locked out after too many wrong codes, or expired): back to the password.
        second.hidden = true;
        form.hidden = false;
        form.password.value = "";
        Forms.showErrors(form, r.body);
      } else {
        second.code.value = "";
        Forms.showErrors(second, r.body || { message: "The code was not accepted." });
      }
    });
  });
  document.getElementById("username").focus();
})();
