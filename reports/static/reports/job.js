// The report file page polls its job's status until the file is ready (no inline script: the CSP allows none).
(function () {
  var box = document.getElementById("job");
  if (!box || box.dataset.finished === "1") return;
  var url = box.dataset.statusUrl;
  function poll() {
    fetch(url, {credentials: "same-origin"}).then(function (r) { return r.json(); }).then(function (data) {
      document.getElementById("job-progress").value = data.progress;
      document.getElementById("job-status").textContent = data.status_label;
      document.getElementById("job-live").textContent = data.progress + "% — " + data.rows_done + " / " + data.rows_total;
      if (data.finished) { window.location.reload(); } else { setTimeout(poll, 2000); }
    }).catch(function () { setTimeout(poll, 5000); });
  }
  setTimeout(poll, 1500);
})();
