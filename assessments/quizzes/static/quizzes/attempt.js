// Autosave answers through the API, keep a server-synchronised countdown, submit when time is up.
(function () {
  "use strict";
  var form = document.getElementById("attempt-form");
  if (!form) return;
  var msgs = JSON.parse(document.getElementById("quiz-messages").textContent);
  var statusEl = document.getElementById("save-status");
  var api = form.dataset.api;
  var pending = {};
  var timer = null;
  var submitting = false;

  // "Saved at" on the same clock as the deadline the page prints: the learner's zone, 24-hour, with the zone.
  var clockFormat = null;
  try {
    clockFormat = new Intl.DateTimeFormat(msgs.language, { hour: "2-digit", minute: "2-digit", hourCycle: "h23", timeZone: msgs.zone });
  } catch (e) { clockFormat = null; }
  function clockTime(d) {
    var t = clockFormat ? clockFormat.format(d) : String(d.getUTCHours()).padStart(2, "0") + ":" + String(d.getUTCMinutes()).padStart(2, "0");
    return t + " (" + (clockFormat ? msgs.zone_label : "UTC") + ")";
  }

  function csrf() {
    var m = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    if (m) return decodeURIComponent(m[1]);
    var input = form.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  function answerOf(fs) {
    var kind = fs.dataset.kind;
    var id = fs.dataset.question;
    var name = "q-" + id;
    if (kind === "single" || kind === "true_false") {
      var c = fs.querySelector("input[name='" + name + "']:checked");
      if (!c) return null;
      return kind === "true_false" ? c.value === "true" : c.value;
    }
    if (kind === "multiple") {
      return Array.prototype.map.call(fs.querySelectorAll("input[name='" + name + "']:checked"), function (i) { return i.value; });
    }
    if (kind === "numeric" || kind === "short_text") {
      var v = fs.querySelector("input[name='" + name + "']").value;
      return v.trim() === "" ? null : v;
    }
    if (kind === "matching") {
      var out = {};
      fs.querySelectorAll("select[data-prompt]").forEach(function (s) { if (s.value) out[s.dataset.prompt] = s.value; });
      return out;
    }
    if (kind === "ordering") {
      var pos = {}, used = {}, ok = true;
      fs.querySelectorAll("select[data-item]").forEach(function (s) {
        if (!s.value || used[s.value]) ok = false;
        used[s.value] = true; pos[s.dataset.item] = parseInt(s.value, 10);
      });
      var err = fs.querySelector(".q-error");
      var any = Object.keys(pos).some(function (k) { return !isNaN(pos[k]); });
      if (!ok) { if (any) { err.textContent = msgs.order; err.hidden = false; } return undefined; }
      err.hidden = true;
      return Object.keys(pos).sort(function (a, b) { return pos[a] - pos[b]; });
    }
    return null;
  }

  function flush() {
    timer = null;
    var body = pending;
    if (!Object.keys(body).length) return Promise.resolve();
    pending = {};
    statusEl.textContent = msgs.saving;
    return fetch(api, {
      method: "PUT",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf() },
      body: JSON.stringify({ answers: body })
    }).then(function (r) {
      return r.json().then(function (data) {
        if (r.ok) {
          statusEl.textContent = msgs.saved + " " + clockTime(new Date());
          Object.keys(body).forEach(function (id) {
            var e = document.querySelector("#question-" + id + " .q-error"); if (e && e.dataset.server) { e.hidden = true; }
          });
        } else if (r.status === 400) {
          (data.errors || []).forEach(function (e) {
            var id = (e.field || "").split(".")[1];
            var el = document.querySelector("#question-" + id + " .q-error");
            if (el) { el.textContent = e.message; el.hidden = false; el.dataset.server = "1"; }
          });
          statusEl.textContent = data.detail;
        } else if (r.status === 409) {
          statusEl.textContent = data.detail; window.location.reload();
        } else { throw new Error(data.detail || r.status); }
      });
    }).catch(function () {
      Object.keys(body).forEach(function (k) { if (!(k in pending)) pending[k] = body[k]; });
      statusEl.textContent = msgs.failed;
      if (!timer) timer = setTimeout(flush, 5000);
    });
  }

  function queue(fs) {
    var a = answerOf(fs);
    if (a === undefined) return;
    pending[fs.dataset.question] = a;
    if (timer) clearTimeout(timer);
    timer = setTimeout(flush, 600);
  }

  form.addEventListener("change", function (e) { var fs = e.target.closest("fieldset.question"); if (fs) queue(fs); });
  form.addEventListener("input", function (e) {
    if (e.target.type === "text") { var fs = e.target.closest("fieldset.question"); if (fs) queue(fs); }
  });
  window.addEventListener("pagehide", function () {
    if (Object.keys(pending).length) {
      fetch(api, { method: "PUT", keepalive: true, credentials: "same-origin",
        headers: { "Content-Type": "application/json", "X-CSRFToken": csrf() }, body: JSON.stringify({ answers: pending }) });
    }
  });
  form.addEventListener("submit", function (e) {
    var action = e.submitter ? e.submitter.value : "submit";
    if (action === "submit" && !submitting && !window.confirm(msgs.confirm)) { e.preventDefault(); }
  });

  var left = document.getElementById("time-left");
  if (left) {
    var deadline = Date.parse(left.dataset.deadline);
    var skew = Date.parse(left.dataset.now) - Date.now();
    var announced = {};
    var tick = function () {
      var ms = deadline - (Date.now() + skew);
      // Announce (politely, through the status region) when five and one minute are left.
      [[300000, "five"], [60000, "one"]].forEach(function (pair) {
        if (ms <= pair[0] && ms > pair[0] - 60000 && !announced[pair[1]]) { announced[pair[1]] = true; statusEl.textContent = msgs[pair[1]]; }
      });
      if (ms <= 0) {
        left.textContent = "0:00";
        if (!submitting) {
          submitting = true; statusEl.textContent = msgs.timeup;
          var b = document.getElementById("submit-attempt"); form.requestSubmit ? form.requestSubmit(b) : form.submit();
        }
        return;
      }
      var s = Math.floor(ms / 1000), h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60), sec = s % 60;
      left.textContent = (h ? h + ":" + String(m).padStart(2, "0") : m) + ":" + String(sec).padStart(2, "0");
      setTimeout(tick, 1000);
    };
    tick();
  }
})();
