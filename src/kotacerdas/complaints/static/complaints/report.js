/* Report form: after a pin is placed or the category changes, show same-category reports nearby. */
(function () {
  "use strict";
  var form = document.getElementById("report-form");
  if (!form) return;
  var lat = document.getElementById("id_lat"), lng = document.getElementById("id_long");
  var category = document.getElementById("id_category"), target = document.getElementById("nearby");
  function refresh() {
    if (!lat.value || !lng.value) return;
    document.getElementById("pin-status").textContent = form.dataset.pinText || "✓";
    if (!category.value) return;
    var url = form.dataset.nearbyUrl + "?category=" + encodeURIComponent(category.value) +
      "&lat=" + encodeURIComponent(lat.value) + "&long=" + encodeURIComponent(lng.value);
    fetch(url, { credentials: "same-origin" }).then(function (r) { return r.text(); }).then(function (html) {
      target.innerHTML = html;
      // The citizen has now seen the nearby reports: the server need not stop the submission again.
      if (html.trim()) document.getElementById("id_confirm_new").value = "True";
    });
  }
  lat.addEventListener("change", refresh);
  category.addEventListener("change", refresh);
})();
