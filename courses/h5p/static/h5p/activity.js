/* Parent page of H5P players (an activity page or a lesson with H5P blocks).
 *
 * For each [data-h5p-activity] box it asks the server for a per-learner launch (player URL with
 * a signed token, CSRF token), builds the sandboxed iframe, and then accepts messages only from
 * that iframe (event.source and origin checked). Each statement gets an id so a retry is
 * idempotent, and is posted with the CSRF token; the server replaces the actor and re-grades
 * what it can. Resume state is posted the same way.
 *
 * Statements must survive the learner leaving the page right after answering, and a network that
 * drops: each statement goes into an outbox in localStorage (one per learner, keyed by the launch's
 * opaque outboxKey) before it is sent, and leaves it only when the server has answered for it. Requests
 * are sent with fetch's keepalive, so the browser completes them after navigation; on pagehide whatever
 * is still queued is sent at once the same way; and the next page with an H5P activity resends what is
 * left (same statement id, so the server stores it once). */
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

  // keepalive requests share a 64 KiB budget per page: larger bodies go as ordinary requests.
  var KEEPALIVE_MAX = 60000;
  var OUTBOX_MAX = 500;

  function outboxName(launch) { return "hocso-xapi-outbox:" + (launch.outboxKey || "anonymous"); }

  function readOutbox(launch) {
    try { return JSON.parse(window.localStorage.getItem(outboxName(launch)) || "[]"); } catch (e) { return []; }
  }

  function writeOutbox(launch, items) {
    try { window.localStorage.setItem(outboxName(launch), JSON.stringify(items.slice(-OUTBOX_MAX))); } catch (e) { /* full or disabled */ }
  }

  function outboxAdd(launch, statement) {
    var items = readOutbox(launch).filter(function (s) { return s.id !== statement.id; });
    items.push(statement);
    writeOutbox(launch, items);
  }

  function outboxRemove(launch, id) {
    writeOutbox(launch, readOutbox(launch).filter(function (s) { return s.id !== id; }));
  }

  function postJSON(url, body, headers, csrfToken) {
    var text = JSON.stringify(body);
    return fetch(url, {
      method: "POST",
      credentials: "same-origin",
      keepalive: text.length < KEEPALIVE_MAX,
      headers: Object.assign({ "Content-Type": "application/json", "X-CSRFToken": csrfToken }, headers || {}),
      body: text
    });
  }

  var XAPI_HEADERS = { "X-Experience-API-Version": "1.0.3" };
  var flushed = {};

  // What an earlier page left unsent (the learner left, the network dropped): send it once per page.
  function flushOutbox(launch) {
    var name = outboxName(launch);
    if (flushed[name]) { return; }
    flushed[name] = true;
    // One after the other, in the order they were made (an attempt's statements build on each other).
    readOutbox(launch).reduce(function (previous, statement) {
      return previous.then(function () {
        return postJSON(launch.statementsUrl, statement, XAPI_HEADERS, launch.csrfToken).then(function (r) {
          // Stored, a replay, or refused for good (4xx): either way it must not be sent again.
          if (r.ok || (r.status >= 400 && r.status < 500 && r.status !== 408 && r.status !== 429)) {
            outboxRemove(launch, statement.id);
          }
        }).catch(function () {});
      });
    }, Promise.resolve());
  }

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
    var waiting = {};  // queued statements not yet on their way, by id (sent at once on pagehide)

    function post(url, body, headers) { return postJSON(url, body, headers, launch.csrfToken); }

    function sendStatement(statement, attempt) {
      delete waiting[statement.id];
      return post(launch.statementsUrl, statement, XAPI_HEADERS).then(function (r) {
        if (r.ok) {
          outboxRemove(launch, statement.id);
          bump(box, "sent");
          if (isFinal(statement)) { bump(box, "finalScores"); }
          return;
        }
        if (r.status >= 500 && attempt < 3) { return wait(1000 * (attempt + 1)).then(function () { return sendStatement(statement, attempt + 1); }); }
        if (r.status < 500) { outboxRemove(launch, statement.id); }  // refused for good: resending cannot help
        return r.json().then(function (j) { status.textContent = (j.error && j.error.message) || r.statusText; });
      }).catch(function () {
        if (attempt < 3) { return wait(1000 * (attempt + 1)).then(function () { return sendStatement(statement, attempt + 1); }); }
        status.textContent = box.dataset.offlineText || "";  // kept in the outbox for the next page
      });
    }

    window.addEventListener("pagehide", function () {
      Object.keys(waiting).forEach(function (id) {
        post(launch.statementsUrl, waiting[id], XAPI_HEADERS).catch(function () {});
        delete waiting[id];
      });
    });
    flushOutbox(launch);

    window.addEventListener("message", function (event) {
      if (event.source !== frame.contentWindow || event.origin !== launch.playerOrigin) { return; }
      var msg = event.data;
      if (!msg || msg.source !== "hocso-h5p" || msg.activity !== activity) { return; }
      if (msg.type === "statement" && msg.payload && typeof msg.payload === "object") {
        var statement = Object.assign({}, msg.payload, { id: uuid4() });
        outboxAdd(launch, statement);
        waiting[statement.id] = statement;
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
