/* Parent page of SCORM players (an activity page or a lesson with SCORM blocks).
 *
 * For each [data-scorm-activity] box it asks the server for a launch (POST, with the CSRF token:
 * the launch makes this window the one that saves) and builds the sandboxed iframe on the player
 * origin. The player saves to the server itself with its signed token; this page only listens
 * (origin and source checked) for its status. */
(function () {
  "use strict";
  if (window.__hocsoSCORMParent) { return; }
  window.__hocsoSCORMParent = true;

  function csrf() {
    var m = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    if (m) { return decodeURIComponent(m[1]); }
    var input = document.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  function start(box, launch) {
    var status = box.querySelector("[data-scorm-status]");
    var frame = document.createElement("iframe");
    frame.className = "scorm-frame";
    frame.title = box.dataset.title || "SCORM";
    // The player origin is not the site's: allow-same-origin keeps it on its own origin, so the
    // package can reach the SCORM API in the player page, never this page or its cookies.
    frame.setAttribute("sandbox", "allow-scripts allow-same-origin allow-forms allow-popups allow-modals allow-downloads");
    frame.setAttribute("referrerpolicy", "no-referrer");
    frame.setAttribute("allow", "fullscreen");
    frame.src = launch.playerUrl;
    box.insertBefore(frame, status);
    window.addEventListener("message", function (event) {
      if (event.source !== frame.contentWindow || event.origin !== launch.playerOrigin) { return; }
      var msg = event.data;
      if (!msg || msg.source !== "hocso-scorm") { return; }
      if (msg.type === "ready") {
        status.textContent = "";
        box.dataset.ready = "1";
      } else if (msg.type === "saved") {
        box.dataset.saved = String(Number(box.dataset.saved || 0) + 1);
      } else if (msg.type === "message" && typeof msg.text === "string") {
        status.textContent = msg.text.slice(0, 300);
      }
    });
  }

  function setup(box) {
    if (box.dataset.initialised) { return; }
    box.dataset.initialised = "1";
    fetch(box.dataset.launchUrl, {
      method: "POST",
      credentials: "same-origin",
      headers: { Accept: "application/json", "X-CSRFToken": csrf() }
    })
      .then(function (r) {
        return r.json().catch(function () { return {}; }).then(function (j) {
          if (!r.ok) { throw new Error(j.detail || String(r.status)); }
          return j;
        });
      })
      .then(function (launch) { start(box, launch); })
      .catch(function (error) {
        var status = box.querySelector("[data-scorm-status]");
        var text = error && error.message && !/^\d+$/.test(error.message) ? error.message : "";
        if (status) { status.textContent = text || status.dataset.failText || "⚠"; }
        box.dataset.failed = "1";
      });
  }

  function init() { document.querySelectorAll("[data-scorm-activity]").forEach(setup); }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", init); } else { init(); }
})();
