// Incident page: warn as soon as someone else changes this incident (before a stale action).
(function () {
  "use strict";
  var el = document.getElementById("stale");
  if (!el || !window.EventSource) return;
  var source = new EventSource(el.dataset.stream + "?last_id=" + encodeURIComponent(el.dataset.last));
  var submitting = false;
  document.addEventListener("submit", function () { submitting = true; });
  source.addEventListener("desk", function (e) {
    var data = JSON.parse(e.data);
    if (!submitting && String(data.incident) === el.dataset.incident) el.hidden = false;
  });
})();
