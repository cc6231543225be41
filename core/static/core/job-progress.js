// The page of a background job (core/templates/core/admin/job.html): polls the job's figures
// and shows them; when the job is over, reloads the page, which then links to the result. The
// warning that the worker has gone quiet ([data-job-stalled]) shows while `stalled` is true,
// in its wording for the job's state (waiting for a worker, or cut off while running).
(function () {
  "use strict";
  var root = document.querySelector("[data-job-progress]");
  if (!root) return;
  var url = root.getAttribute("data-status-url");
  var bar = root.querySelector("progress");
  var delay = 1000;

  function show(figures) {
    root.querySelectorAll("[data-job-field]").forEach(function (node) {
      var name = node.getAttribute("data-job-field");
      if (name in figures) {
        var text = String(figures[name]);
        if (name === "state_label") text = text.charAt(0).toUpperCase() + text.slice(1);
        if (node.textContent !== text) node.textContent = text;
      }
    });
    var stalled = root.querySelector("[data-job-stalled]");
    if (stalled) {
      stalled.hidden = !figures.stalled;
      stalled.querySelectorAll("[data-job-stalled-state]").forEach(function (node) {
        node.hidden = node.getAttribute("data-job-stalled-state") !== figures.state;
      });
    }
    if (bar && figures.total) {
      bar.max = figures.total;
      bar.value = figures.done + figures.failed;
    }
  }

  function poll() {
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) throw new Error(response.status);
        return response.json();
      })
      .then(function (figures) {
        show(figures);
        delay = 1000;
        if (figures.finished) {
          window.location.reload();
        } else {
          window.setTimeout(poll, delay);
        }
      })
      .catch(function () {
        delay = Math.min(delay * 2, 15000); // the server is busy or away: ask less often
        window.setTimeout(poll, delay);
      });
  }

  window.setTimeout(poll, delay);
})();
