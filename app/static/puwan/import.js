/* An import job's page (templates/puwan/import.html): while the file is checked or imported,
   the bar follows the job's progress (its JSON endpoint, every second); when the step ends the
   page reloads and shows the preview or the result. */
(function () {
  "use strict";
  var box = document.getElementById("import-progress");
  if (!box) { return; }
  var bar = box.querySelector(".progress-bar");
  var state = null;

  function poll() {
    fetch(box.getAttribute("data-url"), {credentials: "same-origin", headers: {Accept: "application/json"}})
      .then(function (response) { return response.json(); })
      .then(function (job) {
        var percent = Math.round((job.progress || 0) * 100);
        bar.style.width = percent + "%";
        bar.setAttribute("aria-valuenow", percent);
        bar.textContent = percent + "%";
        if (state === null) { state = job.state; }
        if (job.state !== state || (job.state !== "checking" && job.state !== "importing")) {
          window.location.reload();
          return;
        }
        window.setTimeout(poll, 1000);
      })
      .catch(function () { window.setTimeout(poll, 3000); });
  }

  window.setTimeout(poll, 500);
}());
