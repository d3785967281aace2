/* The SCORM player page, on the player origin (no site cookies). It creates scorm-again's
 * run-time API (window.API for SCORM 1.2, window.API_1484_11 for 2004), loads the learner's saved
 * CMI data into it, and opens the SCO in the content frame, which finds the API in this window.
 * Commits go to the server with the signed token in the address: synchronous while playing, a
 * beacon when the window closes. A multi-SCO package shows its table of contents; the learner
 * chooses an item, and the next one opens when a SCO finishes. */
(function () {
  "use strict";
  var cfg = JSON.parse(document.getElementById("scorm-config").textContent);
  var frame = document.querySelector("[data-content]");
  var message = document.querySelector("[data-message]");
  var is12 = cfg.version === "1.2";
  var current = null;
  var api = null;
  var itemsById = {};
  cfg.items.forEach(function (item) { if (item.launch) { itemsById[item.identifier] = item; } });
  var order = cfg.items.filter(function (item) { return item.launch; }).map(function (item) { return item.identifier; });

  function tell(type, extra) {
    try { window.parent.postMessage(Object.assign({ source: "hocso-scorm", type: type }, extra || {}), cfg.parentOrigin); } catch (e) { /* ignore */ }
  }
  function say(text) { message.textContent = text || ""; if (text) { tell("message", { text: text }); } }

  function responseHandler(xhr) {
    var body = null;
    try { body = JSON.parse(xhr.responseText); } catch (e) { body = null; }
    var ok = xhr.status >= 200 && xhr.status < 300 && body && (body.result === true || body.result === "true");
    if (ok) { tell("saved"); say(""); return { result: "true", errorCode: 0 }; }
    if (xhr.status === 409 || xhr.status === 403) { say(cfg.texts.superseded); }
    else if (!body || !body.errorCode || body.errorCode === 101) { say(cfg.texts.failed); }
    return { result: "false", errorCode: body && typeof body.errorCode === "number" ? body.errorCode : 101 };
  }

  function makeApi(itemId) {
    var settings = {
      lmsCommitUrl: cfg.commitUrl,
      autocommit: true,
      autocommitSeconds: 5,
      dataCommitFormat: "flattened",
      logLevel: 5,
      xhrResponseHandler: responseHandler,
      requestHandler: function (cmi, meta) {
        return { sco: itemId, cmi: cmi, sequence: meta && typeof meta.sequence === "number" ? meta.sequence : undefined, terminate: !!(meta && meta.isTerminateCommit) };
      },
      includeCommitSequence: true
    };
    var instance = is12 ? new window.Scorm12API(settings) : new window.Scorm2004API(settings);
    var initial = cfg.initial[itemId] || {};
    try { instance.loadFromFlattenedJSON(initial, ""); } catch (e) { /* a value the API refuses is left out */ }
    var finished = is12 ? "LMSFinish" : "Terminate";
    instance.on(finished, function () { setTimeout(function () { afterFinish(itemId); }, 0); });
    return instance;
  }

  function statusOf(instance) {
    try {
      if (is12) { return instance.cmi.core.lesson_status || "incomplete"; }
      var success = instance.cmi.success_status;
      return success === "passed" || success === "failed" ? success : (instance.cmi.completion_status || "incomplete");
    } catch (e) { return "incomplete"; }
  }

  function mark(itemId, status) {
    var button = document.querySelector('[data-item="' + CSS.escape(itemId) + '"]');
    if (button) { button.dataset.status = status; }
  }

  function afterFinish(itemId) {
    if (itemId !== current || !api) { return; }
    mark(itemId, statusOf(api));
    var nav = "";
    try { nav = is12 ? "" : api.adl.nav.request; } catch (e) { nav = ""; }
    var index = order.indexOf(itemId);
    var next = null;
    if (nav === "continue" || (nav !== "previous" && index >= 0 && index + 1 < order.length && /completed|passed/.test(statusOf(api)))) { next = order[index + 1]; }
    else if (nav === "previous" && index > 0) { next = order[index - 1]; }
    else if (nav && nav.indexOf("{target=") === 0) { var target = nav.slice(8, nav.indexOf("}")); if (itemsById[target]) { next = target; } }
    if (next) { open(next); }
  }

  // An asset does not talk to the API: opening it completes it (the server decides that, not us).
  function markAssetOpened(itemId) {
    fetch(cfg.commitUrl, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ sco: itemId, cmi: {} }) })
      .then(function (r) { if (r.ok) { mark(itemId, "completed"); tell("saved"); } else if (r.status === 409) { say(cfg.texts.superseded); } })
      .catch(function () { say(cfg.texts.failed); });
  }

  function open(itemId) {
    var item = itemsById[itemId];
    if (!item) { return; }
    current = itemId;
    document.querySelectorAll("[data-item]").forEach(function (b) {
      if (b.dataset.item === itemId) { b.setAttribute("aria-current", "step"); } else { b.removeAttribute("aria-current"); }
    });
    // Let the open SCO unload first (it finishes and commits), then give the next one a fresh API.
    frame.src = "about:blank";
    setTimeout(function () {
      api = makeApi(itemId);
      if (is12) { window.API = api; } else { window.API_1484_11 = api; }
      var url = cfg.filesBase + item.launch.split("/").map(encodeURIComponent).join("/");
      if (item.parameters) { url += "?" + item.parameters; }
      frame.src = url;
      if (item.asset) { markAssetOpened(itemId); }
    }, 50);
  }

  document.querySelectorAll("[data-item]").forEach(function (button) {
    button.addEventListener("click", function () { if (button.dataset.item !== current) { open(button.dataset.item); } });
  });
  var first = cfg.resumeItem || order[0];
  if (first) { open(first); tell("ready"); } else { say(cfg.texts.failed); }
})();
