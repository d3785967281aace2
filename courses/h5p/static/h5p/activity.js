/* Parent page of H5P players (an activity page or a lesson with H5P blocks).
 *
 * For each [data-h5p-activity] box it asks the server for a per-learner launch (player URL with
 * a signed token, CSRF token), builds the sandboxed iframe, and then accepts messages only from
 * that iframe (event.source and origin checked). Each statement gets an id so a retry is
 * idempotent, and is posted with the CSRF token; the server replaces the actor and re-grades
 * what it can. Resume state is posted the same way.
 *
 * Statements wait in an outbox kept in localStorage (one per learner) until the server acknowledges them:
 * when the intake answers 503 (it gives Retry-After), 5xx, 429 or nothing at all, they stay and are sent again
 * later, on this page or the next one the learner opens, however long the outage. A 4xx other than 401/403/429
 * is a refusal of that statement, which is dropped with the server's message shown.
 *
 * Statements also survive the learner leaving the page right after answering: requests go with fetch's
 * keepalive (the browser completes them after navigation), and on pagehide everything still pending is sent
 * the same way; what was not acknowledged stays in the outbox for the next page (same statement id, so the
 * server stores it once). */
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
    var outbox = outboxFor(launch);
    boxes[activity] = box;

    function post(url, body, headers) {
      return fetch(url, {
        method: "POST",
        credentials: "same-origin",
        headers: Object.assign({ "Content-Type": "application/json", "X-CSRFToken": launch.csrfToken }, headers || {}),
        body: JSON.stringify(body)
      });
    }

    window.addEventListener("message", function (event) {
      if (event.source !== frame.contentWindow || event.origin !== launch.playerOrigin) { return; }
      var msg = event.data;
      if (!msg || msg.source !== "hocso-h5p" || msg.activity !== activity) { return; }
      if (msg.type === "statement" && msg.payload && typeof msg.payload === "object") {
        outbox.add(activity, Object.assign({}, msg.payload, { id: uuid4() }));
      } else if (msg.type === "state" && msg.payload) {
        post(launch.stateUrl, msg.payload).then(function (r) { if (r.ok) { bump(box, "statesSaved"); } }).catch(function () {});
      } else if (msg.type === "resize" && msg.payload && typeof msg.payload.height === "number") {
        frame.style.height = Math.max(200, Math.min(msg.payload.height, 5000)) + "px";
      } else if (msg.type === "ready") {
        status.textContent = "";
        box.dataset.ready = "1";
        outbox.flush();
      } else if (msg.type === "error") {
        status.textContent = msg.payload && msg.payload.message || "";
      }
    });
  }

  // ---- the outbox: statements kept until the server has acknowledged them ----

  var boxes = {};
  var outboxes = {};

  function outboxFor(launch) {
    var key = "hocso.xapi.outbox." + (launch.learnerKey || "anonymous");
    if (outboxes[key]) { return outboxes[key]; }
    var sending = false;
    var timer = null;
    var failures = 0;

    var memory = [];
    function storage() { try { return window.localStorage; } catch (e) { return null; } }
    function load() {
      try { return JSON.parse(storage().getItem(key) || "[]"); } catch (e) { return memory; }
    }
    function save(list) {
      memory = list;
      try { storage().setItem(key, JSON.stringify(list)); } catch (e) { /* full or disabled: memory only */ }
    }
    memory = load();
    function pending() { return storage() ? load() : memory; }

    function say(activity, text) {
      var box = boxes[activity];
      var status = box && box.querySelector("[data-h5p-status]");
      if (status) { status.textContent = text; }
    }
    function later(seconds) {
      if (timer) { return; }
      timer = setTimeout(function () { timer = null; flush(); }, Math.max(1, Math.min(seconds, 60)) * 1000);
    }
    function acknowledged(entry) {
      save(pending().filter(function (e) { return e.statement.id !== entry.statement.id; }));
      var box = boxes[entry.activity];
      if (box) {
        bump(box, "sent");
        if (isFinal(entry.statement)) { bump(box, "finalScores"); }
        box.dataset.pending = String(pending().length);
      }
    }

    function send(entry) {
      return fetch(launch.statementsUrl, {
        method: "POST",
        credentials: "same-origin",
        keepalive: true,
        headers: { "Content-Type": "application/json", "X-CSRFToken": launch.csrfToken, "X-Experience-API-Version": "1.0.3" },
        body: JSON.stringify(entry.statement)
      });
    }

    function flush() {
      if (sending) { return; }
      var list = pending();
      if (!list.length) { return; }
      var entry = list[0];
      sending = true;
      send(entry).then(function (r) {
        sending = false;
        if (r.ok) {
          failures = 0;
          acknowledged(entry);
          if (boxes[entry.activity] && boxes[entry.activity].dataset.ready) { say(entry.activity, ""); }
          flush();
          return;
        }
        if (r.status >= 500 || r.status === 429 || r.status === 401 || r.status === 403) {
          failures += 1;
          var hinted = Number(r.headers.get("Retry-After"));
          say(entry.activity, boxes[entry.activity] ? boxes[entry.activity].dataset.offlineText || "" : "");
          later(hinted > 0 ? hinted : Math.pow(2, Math.min(failures, 6)));
          return;
        }
        // Refused for good (malformed, not theirs): drop it, say why, and go on with the others.
        acknowledgedDropped(entry);
        r.json().then(function (j) { say(entry.activity, (j.error && j.error.message) || r.statusText); }, function () {});
        flush();
      }, function () {
        sending = false;
        failures += 1;
        say(entry.activity, boxes[entry.activity] ? boxes[entry.activity].dataset.offlineText || "" : "");
        later(Math.pow(2, Math.min(failures, 6)));
      });
    }
    function acknowledgedDropped(entry) {
      save(pending().filter(function (e) { return e.statement.id !== entry.statement.id; }));
    }

    window.addEventListener("online", flush);
    window.addEventListener("pagehide", function () {
      // During an outage (the last sends failed) the outbox simply waits for the next page.
      if (failures > 0) { return; }
      pending().forEach(function (entry) { try { send(entry).catch(function () {}); } catch (e) { /* unloading */ } });
    });
    outboxes[key] = {
      add: function (activity, statement) {
        var list = pending();
        list.push({ activity: activity, statement: statement });
        save(list);
        if (boxes[activity]) { boxes[activity].dataset.pending = String(list.length); }
        flush();
      },
      flush: flush
    };
    return outboxes[key];
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
