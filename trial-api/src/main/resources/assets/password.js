// Anyone: change their own password. After signing in with a one-time code (a new user, or after an
// admin's reset) this is the only page that works (the API answers 403 password_change_required to
// everything else) until a password is chosen; the code is the current password.
"use strict";

async function init() {
  const me = await Api.me();
  if (!me) { window.location.assign("/index.html"); return; }
  renderHeader(me);
  const form = document.getElementById("password-form");
  if (me.passwordChangeRequired) {
    document.getElementById("required").hidden = false;
    document.getElementById("title").textContent = "Choose your password";
    document.getElementById("current-label").textContent = "One-time code";
    document.getElementById("current-hint").textContent = "The code your trial administrator gave you, as shown (for example ABCDE-FGHJK-...).";
    document.getElementById("current-password").setAttribute("autocomplete", "one-time-code");
  }
  form.addEventListener("submit", async ev => {
    ev.preventDefault();
    const current = document.getElementById("current-password").value.trim();
    const next = document.getElementById("new-password").value;
    if (next !== document.getElementById("repeat-password").value) {
      Forms.showErrors(form, { message: "The two new passwords differ.",
        fieldErrors: [{ field: "repeatPassword", message: "must be the same as the new password" }] });
      return;
    }
    await Forms.busy(document.getElementById("password-button"), async () => {
      const r = await Api.call("POST", "/session/password", { currentPassword: current, newPassword: next });
      if (r.status !== 204) {
        Forms.showErrors(form, r.body, field => ({ currentPassword: me.passwordChangeRequired ? "One-time code" : "Current password",
          newPassword: "New password" })[field] || field);
        return;
      }
      Forms.clear(form);
      form.hidden = true;
      document.getElementById("required").hidden = true;
      const home = homeOf(me.role);
      document.getElementById("changed").innerHTML = `<div class="notice"><p><strong>Your new password is saved.</strong>
        Use it from now on; the one-time code no longer works.</p><p><a href="${esc(home)}" id="go-on">Go on to your pages</a></p></div>`;
      document.getElementById("go-on").focus();
    });
  });
  document.getElementById("current-password").focus();
  document.body.dataset.loaded = "true";
}

init();
