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
  // Show only the extra questions of the chosen category.
  function questions() {
    form.querySelectorAll("fieldset.attributes").forEach(function (set) {
      set.hidden = set.dataset.category !== category.value;
    });
  }
  // "Use my location": the phone's position becomes the pin (shown only where the browser can).
  var locate = document.getElementById("use-location");
  if (locate && navigator.geolocation) {
    locate.hidden = false;
    locate.addEventListener("click", function () {
      navigator.geolocation.getCurrentPosition(function (position) {
        var el = document.querySelector('[data-map="report-map"]');
        var latlng = { lat: position.coords.latitude, lng: position.coords.longitude };
        if (el && el._leafletMap && window.L) {
          el._leafletMap.setView([latlng.lat, latlng.lng], 17);
          el._leafletMap.fire("click", { latlng: window.L.latLng(latlng.lat, latlng.lng) });
        } else {
          lat.value = latlng.lat.toFixed(6); lng.value = latlng.lng.toFixed(6);
          lat.dispatchEvent(new Event("change", { bubbles: true }));
        }
      }, function () {
        document.getElementById("pin-status").textContent = locate.dataset.failed;
      }, { enableHighAccuracy: true, timeout: 15000 });
    });
  }
  lat.addEventListener("change", refresh);
  category.addEventListener("change", refresh);
  category.addEventListener("change", questions);
  questions();
})();
