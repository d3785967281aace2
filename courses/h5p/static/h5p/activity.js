/* Parent page of an H5P player. Accepts messages only from its own player iframe (source and
 * origin checked), gives each statement an id (so a retry is idempotent) and posts it to the
 * server with the CSRF token. The server replaces the actor and re-grades what it can. */
(function () {
  "use strict";
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

  function setup(box) {
    var frame = box.querySelector("iframe");
    var status = box.querySelector("[data-h5p-status]");
    var activity = Number(box.dataset.h5pActivity);
    var origin = box.dataset.playerOrigin;
    var queue = Promise.resolve();
    box.dataset.sent = "0";
    box.dataset.finalScores = "0";
    box.dataset.statesSaved = "0";

    function post(url, body, headers) {
      return fetch(url, {
        method: "POST",
        credentials: "same-origin",
        headers: Object.assign({ "Content-Type": "application/json", "X-CSRFToken": box.dataset.csrf }, headers || {}),
        body: JSON.stringify(body)
      });
    }

    function sendStatement(statement, attempt) {
      return post(box.dataset.statementsUrl, statement, { "X-Experience-API-Version": "1.0.3" }).then(function (r) {
        if (r.ok) {
          box.dataset.sent = String(Number(box.dataset.sent) + 1);
          if (isFinal(statement)) { box.dataset.finalScores = String(Number(box.dataset.finalScores) + 1); }
          box.dispatchEvent(new CustomEvent("h5p:statement-stored", { detail: statement }));
          return;
        }
        if (r.status >= 500 && attempt < 3) {
          return new Promise(function (ok) { setTimeout(ok, 1000 * (attempt + 1)); }).then(function () { return sendStatement(statement, attempt + 1); });
        }
        return r.json().then(function (j) { status.textContent = (j.error && j.error.message) || r.statusText; });
      }).catch(function () {
        if (attempt < 3) {
          return new Promise(function (ok) { setTimeout(ok, 1000 * (attempt + 1)); }).then(function () { return sendStatement(statement, attempt + 1); });
        }
      });
    }

    window.addEventListener("message", function (event) {
      if (event.source !== frame.contentWindow || event.origin !== origin) { return; }
      var msg = event.data;
      if (!msg || msg.source !== "hocso-h5p" || msg.activity !== activity) { return; }
      if (msg.type === "statement" && msg.payload && typeof msg.payload === "object") {
        var statement = Object.assign({}, msg.payload, { id: uuid4() });
        queue = queue.then(function () { return sendStatement(statement, 0); });
      } else if (msg.type === "state" && msg.payload) {
        post(box.dataset.stateUrl, msg.payload).then(function (r) {
          if (r.ok) { box.dataset.statesSaved = String(Number(box.dataset.statesSaved) + 1); }
        }).catch(function () {});
      } else if (msg.type === "resize" && msg.payload && typeof msg.payload.height === "number") {
        frame.style.height = Math.max(200, Math.min(msg.payload.height, 5000)) + "px";
      } else if (msg.type === "ready") {
        box.dataset.ready = "1";
      } else if (msg.type === "error") {
        status.textContent = msg.payload && msg.payload.message || "";
      }
    });
  }

  document.querySelectorAll("[data-h5p-activity]").forEach(setup);
})();
