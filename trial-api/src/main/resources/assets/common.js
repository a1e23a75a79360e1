// Shared by every page: calls to the JSON API with the session cookie, and error display beside fields.
"use strict";

/** The page a role starts on. */
function homeOf(role) {
  if (role === "specialist") { return "/specialist.html"; }
  if (role === "manager" || role === "statistician") { return "/dashboard.html"; }
  if (role === "fieldwork") { return "/followup.html"; }
  if (role === "admin") { return "/admin-users.html"; }
  return "/no-pages.html";
}

/** Where a user goes once signed in: the password page first after signing in with a one-time code. */
function pageAfterLogin(me) {
  return me.passwordChangeRequired ? "/password.html" : homeOf(me.role);
}

const Api = {
  base: "/api/v1",

  /** Calls the API; resolves to {status, body}. The HttpOnly session cookie goes with every same-origin call. */
  async call(method, path, body, headers) {
    const options = { method, credentials: "same-origin", headers: Object.assign({ "Accept": "application/json" }, headers || {}) };
    if (body !== undefined) {
      options.headers["Content-Type"] = "application/json";
      options.body = JSON.stringify(body);
    }
    let response;
    try {
      response = await fetch(Api.base + path, options);
    } catch (e) {
      return { status: 0, body: { code: "offline", message: "The service could not be reached. Check the connection and try again.", fieldErrors: [] } };
    }
    const text = await response.text();
    let json = null;
    try { json = text ? JSON.parse(text) : null; } catch (e) { json = null; }
    if (response.status === 403 && json && json.code === "password_change_required" && window.location.pathname !== "/password.html") {
      // Signed in with a one-time code: every page but the password page sends the user there.
      window.location.assign("/password.html");
    }
    return { status: response.status, body: json };
  },

  /** Who is logged in, or null. */
  async me() {
    const r = await Api.call("GET", "/session");
    return r.status === 200 ? r.body : null;
  },

  async logout() {
    await Api.call("DELETE", "/session");
    window.location.assign("/index.html");
  }
};

/** Plain words for API field names, so messages read as sentences. */
const FIELD_NAMES = {
  site: "Site", area: "Area", trialGroup: "Trial group", nationalInsuranceNumber: "National Insurance number",
  nhsNumber: "NHS number", givenName: "Given name", familyName: "Family name", dateOfBirth: "Date of birth", sex: "Sex",
  postcode: "Postcode", phone: "Phone", email: "Email", address: "Address", language: "Language",
  communicationNeeds: "Communication needs", surveyMode: "Survey mode", surveyModeReason: "Reason for the survey mode",
  kind: "What happened", effectiveDate: "Date", reason: "Reason", confirmed: "Confirmation", formVersion: "Agreement form",
  username: "Username", password: "Password", code: "Code", q: "Search"
};

const Forms = {
  /** Removes every error shown in a form. */
  clear(form) {
    form.querySelectorAll(".field-error").forEach(e => e.remove());
    form.querySelectorAll("[aria-invalid]").forEach(e => {
      e.removeAttribute("aria-invalid");
      const ids = (e.getAttribute("aria-describedby") || "").split(" ").filter(id => id && !id.startsWith("err-"));
      ids.length ? e.setAttribute("aria-describedby", ids.join(" ")) : e.removeAttribute("aria-describedby");
    });
    const summary = form.querySelector(".error-summary");
    if (summary) { summary.hidden = true; summary.innerHTML = ""; }
  },

  /**
   * Shows an API error: each field error beside its field (matched by data-field), and a summary at
   * the top of the form (role=alert, so a screen reader announces it) linking to each field.
   */
  showErrors(form, body, label) {
    Forms.clear(form);
    const errors = (body && body.fieldErrors) || [];
    let summary = form.querySelector(".error-summary");
    if (!summary) {
      summary = document.createElement("div");
      summary.className = "error-summary";
      summary.setAttribute("role", "alert");
      summary.tabIndex = -1;
      form.prepend(summary);
    }
    const h = document.createElement("h3");
    h.textContent = (body && body.message) || "Something went wrong. Try again.";
    summary.appendChild(h);
    const list = document.createElement("ul");
    errors.forEach((fe, i) => {
      const target = form.querySelector(`[data-field="${CSS.escape(fe.field)}"]`);
      const name = (target && target.dataset.label) || FIELD_NAMES[fe.field] || (label ? label(fe.field) : fe.field);
      const text = /[?:]$/.test(name) ? `${name} ${fe.message}` : `${name}: ${fe.message}`;
      const li = document.createElement("li");
      if (target) {
        const id = `err-${form.id}-${i}`;
        const p = document.createElement("p");
        p.className = "field-error";
        p.id = id;
        // Beside the field its own label is already there: the message alone, as a sentence.
        p.textContent = fe.message.charAt(0).toUpperCase() + fe.message.slice(1) + ".";
        const place = target.matches("fieldset, .field") ? target : (target.closest(".field") || null);
        if (place) { place.appendChild(p); } else { target.insertAdjacentElement("afterend", p); }
        const control = target.matches("input, select, textarea") ? target : target.querySelector("input, select, textarea");
        if (control) {
          control.setAttribute("aria-invalid", "true");
          control.setAttribute("aria-describedby", ((control.getAttribute("aria-describedby") || "") + " " + id).trim());
          if (!control.id) { control.id = `f-${form.id}-${i}`; }
          const a = document.createElement("a");
          a.href = "#" + control.id;
          a.textContent = text;
          a.addEventListener("click", ev => { ev.preventDefault(); control.focus(); });
          li.appendChild(a);
        } else {
          li.textContent = text;
        }
      } else {
        li.textContent = text;
      }
      list.appendChild(li);
    });
    if (errors.length) { summary.appendChild(list); }
    summary.hidden = false;
    summary.focus();
  },

  /** A busy button cannot be pressed twice (a double press must not send twice). */
  async busy(button, work) {
    button.disabled = true;
    try { return await work(); } finally { button.disabled = false; }
  }
};

/** Escapes text for HTML built by string. */
function esc(value) {
  return String(value === null || value === undefined ? "" : value)
    .replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

/** Fills the page header with who is logged in and a log-out button. */
function renderHeader(me) {
  const who = document.getElementById("who");
  if (who) {
    who.textContent = `${me.username} (${me.role}${me.site ? ", site " + me.site : ""})`;
  }
  const out = document.getElementById("logout");
  if (out) {
    out.addEventListener("click", () => Api.logout());
    if (!document.getElementById("two-factor-link")) {
      // Everyone may set up (or check) their second factor; some roles must (docs/security.md).
      const link = document.createElement("a");
      link.id = "two-factor-link";
      link.href = "/two-factor.html";
      link.textContent = "Two-factor sign-in";
      out.insertAdjacentElement("beforebegin", link);
    }
  }
}
