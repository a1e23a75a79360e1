// Managers: the delivery report (table and charts from /api/v1/reports/delivery) and fidelity reviews (enter and compare rounds).
"use strict";

const Report = { data: null, scale: null, charts: [] };

function num(n, digits) {
  if (n === null || n === undefined) { return "&ndash;"; }
  return Number(n).toLocaleString("en-GB", { maximumFractionDigits: digits === undefined ? 0 : digits });
}
function pct(n) { return n === null || n === undefined ? "&ndash;" : num(100 * n, 0) + "%"; }

async function init() {
  const me = await Api.me();
  if (!me) { window.location.assign("/index.html"); return; }
  renderHeader(me);
  if (me.role !== "manager") {
    const refused = document.getElementById("refused");
    refused.hidden = false;
    refused.innerHTML = `<div class="error-summary" role="alert" tabindex="-1" id="refused-message"><h2>Delivery reports are for trial managers</h2>
      <p><a href="/index.html">Go to your own pages</a></p></div>`;
    document.getElementById("refused-message").focus();
    return;
  }
  document.getElementById("page").hidden = false;
  document.getElementById("level").addEventListener("change", render);
  document.getElementById("review-form").addEventListener("submit", saveReview);
  window.addEventListener("resize", () => Report.charts.forEach(c => c.resize()));
  const [report, scale] = await Promise.all([Api.call("GET", "/reports/delivery"), Api.call("GET", "/fidelity/scale")]);
  Report.data = report.body;
  Report.scale = scale.body;
  render();
  reviewForm();
  await loadFidelity();
  document.body.dataset.loaded = "true";
}

function render() {
  const level = document.getElementById("level").value;
  const rows = Report.data.rows.filter(r => r.level === level);
  const head = `<thead><tr><th scope="col">Unit</th><th scope="col">Quarter</th><th scope="col" class="num">Randomised</th><th scope="col" class="num">Engaged</th>
    <th scope="col" class="num">Sessions per participant (mean / median)</th><th scope="col" class="num">First session within 7 days</th>
    <th scope="col" class="num">Job starts</th><th scope="col" class="num">Mean hours a week</th><th scope="col" class="num">Jobs lasting 13 weeks</th>
    <th scope="col" class="num">Jobs lasting 26 weeks</th><th scope="col" class="num">Caseload per FTE (limit ${Report.data.caseloadLimitPerFte})</th>
    <th scope="col" class="num">Days to first employer contact (mean)</th></tr></thead>`;
  const body = rows.map(r => `<tr data-unit="${esc(r.unit)}" data-quarter="${esc(r.quarter)}">
    <th scope="row">${esc(r.name)}</th><td class="nowrap">${esc(r.quarter)}</td><td class="num" data-cell="randomised">${r.randomised}</td>
    <td class="num">${r.engaged} (${pct(r.engagedShare)})</td><td class="num">${num(r.sessionsPerParticipantMean, 1)} / ${num(r.sessionsPerParticipantMedian, 1)}</td>
    <td class="num">${r.firstSessionWithin7Days}</td><td class="num" data-cell="jobStarts">${r.jobStarts}</td><td class="num">${num(r.meanHoursPerWeek, 1)}</td>
    <td class="num">${r.jobsLasting13Weeks} of ${r.jobs13WeeksDue}</td><td class="num">${r.jobsLasting26Weeks} of ${r.jobs26WeeksDue}</td>
    <td class="num">${r.caseloadPerFte === null ? (r.fte === null && r.level === "service" ? "per site only" : "no FTE recorded") :
      `<span class="${r.overCaseloadLimit ? "flagged" : ""}">${num(r.caseloadPerFte, 1)}${r.overCaseloadLimit ? " (over the limit)" : ""}</span>`}</td>
    <td class="num">${num(r.meanDaysToEmployerContact, 0)}${r.vocationalProfiles && !r.withFaceToFaceEmployerContact ? ' <span class="flagged">none recorded</span>' : ""}</td></tr>`).join("");
  const table = document.getElementById("delivery-table");
  table.innerHTML = table.querySelector("caption").outerHTML + head + `<tbody>${body}</tbody>`;
  charts(rows);
}

function charts(rows) {
  if (!window.echarts) { return; }
  Report.charts.forEach(c => c.dispose());
  Report.charts = [];
  const quarters = Report.data.quarters;
  const units = [...new Set(rows.map(r => r.unit))];
  const series = (field, scale) => units.map(u => ({ name: rows.find(r => r.unit === u).name, type: "line", connectNulls: false,
    data: quarters.map(q => { const r = rows.find(x => x.unit === u && x.quarter === q); return r && r[field] !== null ? Math.round(r[field] * scale * 10) / 10 : null; }) }));
  const common = { aria: { enabled: true }, animation: false, grid: { left: 50, right: 20, top: 70, bottom: 40 }, tooltip: { trigger: "axis" },
    legend: { top: 0 }, xAxis: { type: "category", data: quarters } };
  const engaged = echarts.init(document.getElementById("engaged-chart"), null, { renderer: "svg" });
  engaged.setOption(Object.assign({}, common, { yAxis: { type: "value", name: "% engaged", max: 100 }, series: series("engagedShare", 100) }));
  const caseload = echarts.init(document.getElementById("caseload-chart"), null, { renderer: "svg" });
  const perFte = series("caseloadPerFte", 1);
  if (perFte.length) {
    perFte[0].markLine = { symbol: "none", data: [{ yAxis: Report.data.caseloadLimitPerFte, name: "limit" }], label: { formatter: "limit {c}" } };
  }
  caseload.setOption(Object.assign({}, common, { yAxis: { type: "value", name: "per FTE" }, series: perFte }));
  Report.charts.push(engaged, caseload);
}

function reviewForm() {
  const scale = Report.scale;
  document.getElementById("review-service").innerHTML = scale.services.map(s => `<option value="${esc(s.code)}">${esc(s.name)}</option>`).join("");
  document.getElementById("remote-items").textContent = scale.remoteAdjustedItems.join(", ");
  const options = [1, 2, 3, 4, 5].map(n => `<option value="${n}">${n}</option>`).join("");
  document.getElementById("items-table").innerHTML = `<caption>Score each item 1 (not implemented, or no evidence) to 5 (fully implemented)</caption>
    <thead><tr><th scope="col">Item</th><th scope="col">Score</th><th scope="col">Evidence</th></tr></thead><tbody>` +
    scale.items.map((item, i) => `<tr><th scope="row"><label for="score-${item.item}">${item.item}. ${esc(item.text)}</label> <span class="small">${esc(item.section)}</span></th>
      <td class="field" data-field="items[${i}].score" data-label="Item ${item.item} score"><select id="score-${item.item}" class="score"><option value="">&ndash;</option>${options}</select></td>
      <td class="field" data-field="items[${i}].evidence" data-label="Item ${item.item} evidence"><textarea id="evidence-${item.item}" aria-label="Evidence for item ${item.item}"></textarea></td></tr>`).join("") +
    "</tbody>";
}

async function loadFidelity() {
  const r = await Api.call("GET", "/reports/fidelity");
  const table = document.getElementById("fidelity-table");
  if (r.status !== 200) { return; }
  const report = r.body;
  const head = `<thead><tr><th scope="col">Item</th>${report.reviews.map(c => `<th scope="col" class="num">${esc(c.service)}<br>round ${c.round}<br><span class="small">${esc(c.reviewedOn)}${c.remoteAdjusted ? ", remote" : ""}</span></th>`).join("")}</tr></thead>`;
  const body = report.items.map(i => `<tr><th scope="row">${i.item}. ${esc(i.text)}</th>${i.scores.map(s => `<td class="num score-${s}">${s === null ? "&ndash;" : s}</td>`).join("")}</tr>`).join("");
  const foot = `<tfoot><tr><th scope="row">Total (band)</th>${report.reviews.map(c => `<td class="num" data-cell="total">${c.total} (${esc(c.band.replace(/_/g, " "))})</td>`).join("")}</tr></tfoot>`;
  table.innerHTML = table.querySelector("caption").outerHTML + head + `<tbody>${body}</tbody>` + foot;
}

async function saveReview(ev) {
  ev.preventDefault();
  const form = ev.target;
  const items = Report.scale.items.map(item => {
    const score = document.getElementById(`score-${item.item}`).value;
    const evidence = document.getElementById(`evidence-${item.item}`).value.trim();
    const scored = { item: item.item, score: score === "" ? null : Number(score) };
    if (evidence) { scored.evidence = evidence; }
    return scored;
  });
  const action = document.getElementById("action-text").value.trim();
  const owner = document.getElementById("action-owner").value.trim();
  const body = {
    service: document.getElementById("review-service").value,
    round: Number(document.getElementById("review-round").value),
    reviewedOn: document.getElementById("review-date").value,
    reviewers: [...document.querySelectorAll(".reviewer")].map(i => i.value.trim()).filter(v => v),
    scaleVersion: Report.scale.version,
    remoteAdjusted: document.getElementById("review-remote").checked,
    items,
    actions: action || owner ? [{ action, owner, status: "open" }] : []
  };
  await Forms.busy(document.getElementById("review-button"), async () => {
    const r = await Api.call("POST", "/fidelity/reviews", body);
    if (r.status === 201) {
      Forms.clear(form);
      document.getElementById("review-result").innerHTML =
        `<p class="notice" id="review-saved">Saved: ${esc(r.body.service)} round ${r.body.round}, total ${r.body.total} (${esc(r.body.band.replace(/_/g, " "))}).</p>`;
      await loadFidelity();
    } else {
      Forms.showErrors(form, r.body);
    }
  });
}

init();
