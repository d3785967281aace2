// Draws every chart of a page from the figure the server rendered into a JSON <script> (json_script):
//   <div class="chart" data-figure="ID"></div>  ...  <script id="ID" type="application/json">...</script>
// The tables beside the charts carry the same data, so nothing is lost without JavaScript.
// On a phone the legend goes under the chart, margins shrink and the mode bar is hidden.
(function () {
  "use strict";
  function figureOf(holder) {
    var data = JSON.parse(holder.textContent);
    return typeof data === "string" ? JSON.parse(data) : data; // plotly's to_json() arrives as a string
  }
  function draw() {
    if (!window.Plotly) return;
    var phone = window.matchMedia("(max-width: 40rem)").matches;
    document.querySelectorAll("[data-figure]").forEach(function (el) {
      var holder = document.getElementById(el.dataset.figure);
      if (!holder) return;
      var fig = figureOf(holder);
      var layout = fig.layout || {};
      if (phone) {
        layout.legend = Object.assign({}, layout.legend, { orientation: "h", x: 0, y: -0.15, xanchor: "left" });
        layout.margin = Object.assign({}, layout.margin, { l: 8, r: 8, t: 40 });
        layout.font = Object.assign({}, layout.font, { size: 11 });
        if (layout.xaxis) layout.xaxis.automargin = true;
        if (layout.yaxis) layout.yaxis.automargin = true;
      }
      // The language's decimal mark and thousands separator in ticks and hover labels (87,5 in Vietnamese).
      layout.separators = (document.documentElement.lang || "vi").slice(0, 2) === "en" ? ".," : ",.";
      window.Plotly.newPlot(el, fig.data, layout, { responsive: true, displaylogo: false, displayModeBar: !phone });
    });
  }
  // plotly.js (about 0.45 MB gzipped) is fetched only on a page that has a chart, and only once this small
  // script has run: the page paints and answers input first (on a 1.5 Mbit/s link the bundle alone takes
  // over two seconds), and the charts follow. The tables beside them show the same figures meanwhile.
  var bundle = document.currentScript && document.currentScript.dataset.plotly;
  function start() {
    if (!document.querySelector("[data-figure]")) return;
    if (window.Plotly || !bundle) return draw();
    var script = document.createElement("script");
    script.src = bundle;
    script.async = true;
    script.addEventListener("load", draw);
    document.head.appendChild(script);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
