// Live progress of a run: follows the run's event stream (the API's, behind the console
// session) and reloads the page once the run has ended, so every lead's row is rendered by
// the server. Values from the stream are set as text, never as markup.
(function () {
  "use strict";
  var section = document.getElementById("run-progress");
  if (!section || section.dataset.finished === "yes" || !window.EventSource) return;
  var stream = new EventSource(section.dataset.events);
  function set(id, value) {
    var node = document.getElementById(id);
    if (node) node.textContent = String(value);
  }
  stream.addEventListener("progress", function (event) {
    var run = JSON.parse(event.data);
    ["status", "processed", "total", "approved", "queued", "rejected"].forEach(function (name) {
      set("run-" + name, run[name]);
    });
    var bar = document.getElementById("run-bar");
    if (bar) { bar.max = Math.max(1, run.total); bar.value = run.processed; }
  });
  stream.addEventListener("message", function (event) {
    var message = JSON.parse(event.data);
    var row = document.createElement("tr");
    [message.message_id, "lead " + message.lead_id, "", message.status,
     message.quality_score == null ? "—" : Number(message.quality_score).toFixed(2),
     message.reason || ""].forEach(function (value) {
      var cell = document.createElement("td");
      cell.textContent = String(value);
      row.appendChild(cell);
    });
    var body = document.getElementById("run-leads");
    if (body) body.appendChild(row);
  });
  stream.addEventListener("end", function () {
    stream.close();
    window.location.reload();
  });
})();
