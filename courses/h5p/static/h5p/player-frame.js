/* Runs inside the sandboxed player iframe (opaque origin, no cookies). It starts h5p-standalone
 * and hands xAPI statements and resume state to the parent page with postMessage; the parent
 * decides what to send to the server. */
(function () {
  "use strict";
  var cfg = JSON.parse(document.getElementById("h5p-config").textContent);
  var lastState = {};

  function send(type, payload) {
    window.parent.postMessage({ source: "hocso-h5p", type: type, activity: cfg.activity, payload: payload }, cfg.parentOrigin);
  }

  function pushState() {
    try {
      var contents = window.H5PIntegration && window.H5PIntegration.contents;
      var data = contents && contents["cid-" + cfg.contentId] && contents["cid-" + cfg.contentId].contentUserData;
      if (!data) { return; }
      Object.keys(data).forEach(function (sub) {
        Object.keys(data[sub] || {}).forEach(function (type) {
          var key = sub + "/" + type;
          if (data[sub][type] !== lastState[key]) {
            lastState[key] = data[sub][type];
            send("state", { subContentId: String(sub), dataType: type, data: data[sub][type] });
          }
        });
      });
    } catch (e) { /* never break the activity over resume state */ }
  }

  var hasState = cfg.contentUserData && Object.keys(cfg.contentUserData).length > 0;
  var options = {
    id: cfg.contentId,
    // "div": the content renders in this (already sandboxed) document. An inner about:blank
    // iframe would get its own opaque origin here and H5P could not write into it.
    embedType: "div",
    h5pJsonPath: cfg.h5pJsonPath,
    frameJs: cfg.frameJs,
    frameCss: cfg.frameCss,
    xAPIObjectIRI: cfg.iri,
    frame: false,
    copyright: false,
    export: false,
    icon: false,
    fullScreen: false,
    saveFreq: 5
  };
  if (hasState) {
    options.contentUserData = cfg.contentUserData;
    Object.keys(cfg.contentUserData).forEach(function (sub) {
      Object.keys(cfg.contentUserData[sub]).forEach(function (type) { lastState[sub + "/" + type] = cfg.contentUserData[sub][type]; });
    });
  }

  new H5PStandalone.H5P(document.getElementById("h5p-container"), options).then(function () {
    window.H5P.externalDispatcher.on("xAPI", function (event) {
      send("statement", event.data.statement);
      pushState();
    });
    setInterval(pushState, 5000);
    var lastHeight = 0;
    var reportHeight = function () {
      var height = Math.ceil(document.documentElement.scrollHeight);
      if (Math.abs(height - lastHeight) > 2) { lastHeight = height; send("resize", { height: height }); }
    };
    if (window.ResizeObserver) { new ResizeObserver(reportHeight).observe(document.body); }
    setInterval(reportHeight, 1000);
    reportHeight();
    send("ready", {});
  }).catch(function (error) {
    send("error", { message: String(error && error.message || error) });
  });
})();
