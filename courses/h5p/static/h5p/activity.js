/* Parent page of H5P players (an activity page or a lesson with H5P blocks).
 *
 * For each [data-h5p-activity] box it asks the server for a per-learner launch (player URL with
 * a signed token, CSRF token), builds the sandboxed iframe, and then accepts messages only from
 * that iframe (event.source and origin checked). Each statement gets an id so a retry is
 * idempotent, and is posted with the CSRF token; the server replaces the actor and re-grades
 * what it can. Resume state is posted the same way. */
(function () {
  "use strict";
  if (window.__hocsoH5PParent) { return; }
  window.__hocsoH5PParent = true;

  function uuid4() {
    if (window.crypto && window.crypto.randomUUID) { return window.crypto.randomUUID(); }
    var b = new Uint8Array(16); window.crypto.getRandomValues(b);
    b[6] = (b[6] & 0x0f) | 0x40; b[8] = (b[8] & 0x3f) | 0x80;
    var h = Array.prototype.map.call(b, function (x) { return ("0" + x.toString(16)).slice(-2); }).join("");
    return h.slice(0, 8) + "-" + h.slice(8, 12) + "-" + h.slice(12, 16) + "-" + h.slice(16, 20) + "-" + h.slice(20);
  }

  function isFinal(statement) {
    var verb = statement.verb && statement.verb.id || "";
    var parents = statement.context && statement.context.contextActivities && statement.context.contextActivities.parent;
    return /\/(completed|answered)$/.test(verb) && !parents && !!(statement.result && statement.result.score);
  }

  function bump(box, key) { box.dataset[key] = String(Number(box.dataset[key] || 0) + 1); }

  function wait(ms) { return new Promise(function (ok) { setTimeout(ok, ms); }); }

  function start(box, launch) {
    var status = box.querySelector("[data-h5p-status]");
    var activity = Number(box.dataset.h5pActivity);
    var frame = document.createElement("iframe");
    frame.className = "h5p-frame";
    frame.title = box.dataset.title || "H5P";
    if (launch.sandbox) { frame.setAttribute("sandbox", launch.sandbox); }  // before src, always
    frame.setAttribute("referrerpolicy", "no-referrer");
    frame.setAttribute("allow", "fullscreen");
    frame.src = launch.playerUrl;
    box.insertBefore(frame, status);
    var queue = Promise.resolve();

    function post(url, body, headers) {
      return fetch(url, {
        method: "POST",
        credentials: "same-origin",
        headers: Object.assign({ "Content-Type": "application/json", "X-CSRFToken": launch.csrfToken }, headers || {}),
        body: JSON.stringify(body)
      });
    }

    function sendStatement(statement, attempt) {
      return post(launch.statementsUrl, statement, { "X-Experience-API-Version": "1.0.3" }).then(function (r) {
        if (r.ok) {
          bump(box, "sent");
          if (isFinal(statement)) { bump(box, "finalScores"); }
          return;
        }
        if (r.status >= 500 && attempt < 3) { return wait(1000 * (attempt + 1)).then(function () { return sendStatement(statement, attempt + 1); }); }
        return r.json().then(function (j) { status.textContent = (j.error && j.error.message) || r.statusText; });
      }).catch(function () {
        if (attempt < 3) { return wait(1000 * (attempt + 1)).then(function () { return sendStatement(statement, attempt + 1); }); }
        status.textContent = box.dataset.offlineText || "";
      });
    }

    window.addEventListener("message", function (event) {
      if (event.source !== frame.contentWindow || event.origin !== launch.playerOrigin) { return; }
      var msg = event.data;
      if (!msg || msg.source !== "hocso-h5p" || msg.activity !== activity) { return; }
      if (msg.type === "statement" && msg.payload && typeof msg.payload === "object") {
        var statement = Object.assign({}, msg.payload, { id: uuid4() });
        queue = queue.then(function () { return sendStatement(statement, 0); });
      } else if (msg.type === "state" && msg.payload) {
        post(launch.stateUrl, msg.payload).then(function (r) { if (r.ok) { bump(box, "statesSaved"); } }).catch(function () {});
      } else if (msg.type === "resize" && msg.payload && typeof msg.payload.height === "number") {
        frame.style.height = Math.max(200, Math.min(msg.payload.height, 5000)) + "px";
      } else if (msg.type === "ready") {
        status.textContent = "";
        box.dataset.ready = "1";
      } else if (msg.type === "error") {
        status.textContent = msg.payload && msg.payload.message || "";
      }
    });
  }

  function setup(box) {
    if (box.dataset.initialised) { return; }
    box.dataset.initialised = "1";
    box.dataset.sent = "0";
    fetch(box.dataset.launchUrl, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) { if (!r.ok) { throw new Error(String(r.status)); } return r.json(); })
      .then(function (launch) { start(box, launch); })
      .catch(function () {
        var status = box.querySelector("[data-h5p-status]");
        if (status) { status.textContent = status.dataset.failText || "⚠"; }
        box.dataset.failed = "1";
      });
  }

  function init() { document.querySelectorAll("[data-h5p-activity]").forEach(setup); }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", init); } else { init(); }
})();
