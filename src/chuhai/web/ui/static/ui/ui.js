// Chuhai web interface: a little plain JavaScript, nothing the pages need to work without it.
(function () {
  "use strict";

  // "Select all" checkbox of a bulk-action table.
  document.querySelectorAll("[data-select-all]").forEach(function (master) {
    var name = master.getAttribute("data-select-all");
    master.addEventListener("change", function () {
      master.form.querySelectorAll('input[type=checkbox][name="' + name + '"]').forEach(function (box) {
        box.checked = master.checked;
      });
    });
  });

  // Live progress of a stock-file import: poll the status address until the job has finished.
  var panel = document.getElementById("progress");
  if (panel && panel.getAttribute("data-finished") === "0") {
    var url = panel.getAttribute("data-status-url");
    var bar = document.getElementById("job-progress");
    var state = document.getElementById("job-state");
    var poll = function () {
      fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
        .then(function (response) { return response.json(); })
        .then(function (job) {
          if (job.total_rows) { bar.value = Math.round((100 * job.processed_rows) / job.total_rows); }
          state.textContent = job.state_label;
          if (job.finished) { window.location.reload(); } else { window.setTimeout(poll, 1000); }
        })
        .catch(function () { window.setTimeout(poll, 3000); });
    };
    window.setTimeout(poll, 500);
  }
})();
