"use strict";

// The signed-in user's second factor: set up (a QR code and its key, confirmed by a first code, then
// ten recovery codes shown once) or its state. Also the page a role that requires it lands on after
// the password, before anything else opens.
(async function () {
  const status = await Api.call("GET", "/two-factor");
  if (status.status === 401) { window.location.assign("/index.html"); return; }
  if (status.status === 403 && status.body && status.body.code === "password_change_required") {
    window.location.assign("/password.html");
    return;
  }
  const text = document.getElementById("status");
  if (status.status !== 200) {
    text.textContent = (status.body && status.body.message) || "The page could not be loaded. Try again.";
    document.body.dataset.loaded = "true";
    return;
  }
  const me = await Api.me();
  if (me) {
    renderHeader(me);
  } else {
    // Still signing in (the enrolment comes first): log out ends the attempt and goes back.
    document.getElementById("logout").addEventListener("click", () => Api.logout());
  }
  const state = status.body;
  if (state.enrolled) {
    text.innerHTML = `<p>Two-factor sign-in is <strong>on</strong> for your account. Recovery codes left: ${esc(state.recoveryCodesLeft)}.</p>`
      + "<p>Lost your phone? Ask an admin to reset your second factor, then set it up again here.</p>";
  } else {
    text.innerHTML = state.required
      ? '<div class="notice warn"><p><strong>Your role signs in with a second factor.</strong> Set it up to continue: nothing else opens until then.</p></div>'
      : "<p>Two-factor sign-in is optional for your role, and recommended.</p>";
    document.getElementById("start-section").hidden = false;
  }

  document.getElementById("start").addEventListener("click", async ev => {
    await Forms.busy(ev.target, async () => {
      const r = await Api.call("POST", "/two-factor/enrolment");
      if (r.status !== 200) {
        text.textContent = (r.body && r.body.message) || "The set-up could not start. Try again.";
        return;
      }
      // The SVG is drawn by the service itself from the key URI (no user input in it).
      document.getElementById("qr").innerHTML = r.body.qrCodeSvg;
      document.getElementById("two-factor-secret").textContent = r.body.secret.replace(/(.{4})/g, "$1 ").trim();
      document.getElementById("start-section").hidden = true;
      document.getElementById("enrol-section").hidden = false;
      document.getElementById("code").focus();
    });
  });

  const form = document.getElementById("confirm");
  form.addEventListener("submit", async ev => {
    ev.preventDefault();
    await Forms.busy(document.getElementById("confirm-button"), async () => {
      const r = await Api.call("POST", "/two-factor/enrolment/confirmation", { code: form.code.value.trim() });
      if (r.status !== 200) {
        Forms.showErrors(form, r.body || { message: "The code was not accepted." });
        return;
      }
      const list = document.getElementById("recovery-codes");
      list.innerHTML = r.body.recoveryCodes.map(c => `<li>${esc(c)}</li>`).join("");
      document.getElementById("enrol-section").hidden = true;
      document.getElementById("recovery-section").hidden = false;
      text.innerHTML = "";
      const who = await Api.me();
      if (who) {
        if (!me) { renderHeader(who); }
        document.getElementById("continue").href = pageAfterLogin(who);
      }
      document.getElementById("continue").focus();
    });
  });
  document.body.dataset.loaded = "true";
})();
