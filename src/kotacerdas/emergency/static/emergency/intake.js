// Intake: keyboard shortcuts and incident fields only for normal calls (htmx shows the history).
(function () {
  "use strict";
  var form = document.getElementById("intake-form");
  if (!form) return;
  var number = form.querySelector("[name=caller_number]");
  var incident = document.getElementById("incident-fields");
  var radios = form.querySelectorAll("[name=call_type]");

  function syncType() {
    var checked = form.querySelector("[name=call_type]:checked");
    incident.disabled = !checked || checked.value !== "normal";
  }
  radios.forEach(function (r) { r.addEventListener("change", syncType); });
  syncType();

  document.addEventListener("keydown", function (e) {
    if (e.altKey && e.key >= "1" && e.key <= "4") {
      var r = form.querySelector("[name=call_type][data-key='" + e.key + "']");
      if (r) { r.checked = true; syncType(); r.focus(); e.preventDefault(); }
    } else if (e.altKey && (e.key === "n" || e.key === "N")) {
      number.focus(); e.preventDefault();
    } else if ((e.ctrlKey || e.metaKey) && e.key === "Enter") {
      form.requestSubmit(); e.preventDefault();
    }
  });

})();
