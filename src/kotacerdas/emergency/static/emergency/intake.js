// Intake: keyboard shortcuts, incident fields only for normal calls, caller history lookup.
(function () {
  "use strict";
  var form = document.getElementById("intake-form");
  if (!form) return;
  var number = form.querySelector("[name=caller_number]");
  var history = document.getElementById("caller-history");
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

  var timer = null, last = "";
  function lookup() {
    var value = number.value.trim();
    if (value.length < 3 || value === last) return;
    last = value;
    fetch(form.dataset.lookup + "?nomor=" + encodeURIComponent(value), {headers: {"HX-Request": "true"}})
      .then(function (r) { return r.ok ? r.text() : ""; })
      .then(function (html) { if (number.value.trim() === value) history.innerHTML = html; });
  }
  number.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(lookup, 250); });
  number.addEventListener("blur", lookup);
})();
