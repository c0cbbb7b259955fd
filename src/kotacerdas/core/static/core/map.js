/* Leaflet maps declared in HTML.
 * <div class="map" data-map="ID" data-tiles="URL" data-attribution="TEXT"></div>
 * <script id="ID" type="application/json">{"center":[lat,lng],"zoom":13,
 *   "markers":[{"lat":..,"lng":..,"title":"..","url":"..","color":".."}],
 *   "pick":{"lat":"id_lat","lng":"id_lng"}}</script>
 * With "pick", a click (or dragging the pin) writes the position into those inputs.
 * "boundary_url" (from tenants.maps.map_config) draws the tenant's boundary (GeoJSON).
 * Without "center", the map opens at the element's data-center/data-zoom (core/_map.html
 * fills them from tenant.map_view).
 */
(function () {
  "use strict";
  function esc(s) { var d = document.createElement("div"); d.textContent = s; return d.innerHTML; }
  function init(el) {
    if (el.dataset.rendered || !window.L) return;
    var conf = JSON.parse(document.getElementById(el.dataset.map).textContent);
    var center = conf.center || (el.dataset.center ? el.dataset.center.split(",").map(Number) : [-2.5, 118]);
    var map = L.map(el).setView(center, conf.zoom || +el.dataset.zoom || 5);
    if (el.dataset.tiles) {
      L.tileLayer(el.dataset.tiles, { maxZoom: 19, attribution: el.dataset.attribution || "" }).addTo(map);
    }
    if (conf.boundary_url && window.fetch) {
      fetch(conf.boundary_url, { credentials: "same-origin" })
        .then(function (r) { return r.ok ? r.json() : null; })
        .then(function (shape) {
          if (shape) L.geoJSON(shape, { interactive: false, style: { color: "#0b6e4f", weight: 2, fill: false } }).addTo(map);
        })
        .catch(function () { /* the map works without its outline */ });
    }
    var bounds = [];
    (conf.markers || []).forEach(function (m) {
      var marker = L.circleMarker([m.lat, m.lng], { radius: 8, color: m.color || "#0b6e4f", fillOpacity: 0.7 }).addTo(map);
      if (m.title) marker.bindPopup(m.url ? '<a href="' + encodeURI(m.url) + '">' + esc(m.title) + "</a>" : esc(m.title));
      bounds.push([m.lat, m.lng]);
    });
    if (bounds.length > 1 && conf.fit !== false) map.fitBounds(bounds, { padding: [20, 20], maxZoom: 16 });
    if (conf.pick) {
      var latInput = document.getElementById(conf.pick.lat), lngInput = document.getElementById(conf.pick.lng);
      var pin = null;
      var place = function (latlng) {
        if (!pin) { pin = L.marker(latlng, { draggable: true }).addTo(map); pin.on("dragend", function () { place(pin.getLatLng()); }); }
        pin.setLatLng(latlng);
        latInput.value = latlng.lat.toFixed(6); lngInput.value = latlng.lng.toFixed(6);
        latInput.dispatchEvent(new Event("change", { bubbles: true }));
      };
      if (latInput.value && lngInput.value) place(L.latLng(+latInput.value, +lngInput.value));
      map.on("click", function (e) { place(e.latlng); });
    }
    el.dataset.rendered = "1";
    el._leafletMap = map;
  }
  function render(root) { (root || document).querySelectorAll("[data-map]").forEach(init); }
  document.addEventListener("DOMContentLoaded", function () { render(); });
  document.addEventListener("htmx:afterSwap", function (e) { render(e.target); });
  window.kotacerdasMaps = { render: render };
})();
