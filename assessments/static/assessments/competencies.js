// Draws the charts from the JSON the server rendered; the tables carry the same data without JavaScript.
(function () {
  function draw(id, dataId) {
    var el = document.getElementById(id);
    var data = document.getElementById(dataId);
    if (!el || !data || !window.Plotly) return;
    var fig = JSON.parse(data.textContent);
    window.Plotly.newPlot(el, fig.data, fig.layout, { responsive: true, displaylogo: false });
  }
  draw("radar-chart", "radar-data");
  draw("trend-chart", "trend-data");
})();
