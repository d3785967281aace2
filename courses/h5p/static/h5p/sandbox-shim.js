/* The player document is sandboxed without allow-same-origin, so the browser refuses web
 * storage and cookies here (that is the point: package code cannot reach the learner's session).
 * H5P core still touches localStorage, so give it throw-away in-memory stand-ins. */
(function () {
  "use strict";
  function memoryStorage() {
    var data = {};
    return {
      getItem: function (k) { return Object.prototype.hasOwnProperty.call(data, k) ? data[k] : null; },
      setItem: function (k, v) { data[k] = String(v); },
      removeItem: function (k) { delete data[k]; },
      clear: function () { data = {}; },
      key: function (i) { return Object.keys(data)[i] || null; },
      get length() { return Object.keys(data).length; }
    };
  }
  ["localStorage", "sessionStorage"].forEach(function (name) {
    var usable = false;
    try { usable = !!window[name]; } catch (e) { usable = false; }
    if (!usable) {
      try { Object.defineProperty(window, name, { value: memoryStorage(), configurable: true }); } catch (e) { /* ignore */ }
    }
  });
  try { void document.cookie; } catch (e) {
    try { Object.defineProperty(document, "cookie", { get: function () { return ""; }, set: function () {}, configurable: true }); } catch (e2) { /* ignore */ }
  }
})();
