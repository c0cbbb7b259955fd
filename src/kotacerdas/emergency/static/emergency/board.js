// Live board: server-sent events; each event refreshes the board (and the wall map).
// EventSource reconnects by itself and sends Last-Event-ID, so nothing is missed.
(function () {
  "use strict";
  var live = document.getElementById("live");
  var board = document.getElementById("board");
  if (!live || !board || !window.EventSource) return;
  var texts = document.getElementById("live-texts").content.firstElementChild.dataset;
  var mapEl = document.getElementById("map");
  var map = null, layer = null;

  if (mapEl && window.L) {
    // the tenant's own view and boundary (tenants.maps.map_config), never a fixed city
    var conf = JSON.parse(document.getElementById("map-conf").textContent);
    map = L.map(mapEl).setView(conf.center, conf.zoom || 12);
    if (mapEl.dataset.tiles) {
      L.tileLayer(mapEl.dataset.tiles, {maxZoom: 19, attribution: mapEl.dataset.attribution}).addTo(map);
    }
    if (conf.boundary_url) {
      fetch(conf.boundary_url, {credentials: "same-origin"})
        .then(function (r) { return r.ok ? r.json() : null; })
        .then(function (shape) {
          if (shape) L.geoJSON(shape, {interactive: false, style: {color: "#0b6e4f", weight: 2, fill: false}}).addTo(map);
        })
        .catch(function () { /* the map works without its outline */ });
    }
    layer = L.layerGroup().addTo(map);
  }

  function refreshMap() {
    if (!map) return;
    fetch(live.dataset.map).then(function (r) { return r.json(); }).then(function (data) {
      layer.clearLayers();
      var bounds = [];
      data.incidents.forEach(function (i) {
        L.marker([i.lat, i.lng]).bindPopup(i.number + " · " + i.category + " · " + i.state).addTo(layer);
        bounds.push([i.lat, i.lng]);
      });
      if (bounds.length) map.fitBounds(bounds, {maxZoom: 15, padding: [30, 30]});
    });
  }

  var pending = false;
  function refresh() {
    if (pending) return;
    pending = true;
    fetch(live.dataset.fragment, {headers: {"HX-Request": "true"}})
      .then(function (r) { return r.ok ? r.text() : null; })
      .then(function (html) {
        if (html !== null) {
          // keep panels the user opened (or the wall opened) open across the refresh
          var opened = {};
          board.querySelectorAll("details[data-panel]").forEach(function (d) { opened[d.dataset.panel] = d.open; });
          board.innerHTML = html;
          board.querySelectorAll("details[data-panel]").forEach(function (d) {
            if (d.dataset.panel in opened) d.open = opened[d.dataset.panel];
          });
        }
        pending = false; refreshMap();
      })
      .catch(function () { pending = false; });
  }

  var url = live.dataset.stream + "?last_id=" + encodeURIComponent(live.dataset.last || "0");
  var source = new EventSource(url);
  var opened = false;
  source.onopen = function () {
    live.textContent = texts.on; live.className = "badge on";
    if (opened) refresh();  // after a reconnect: catch up on anything committed out of order
    opened = true;
  };
  source.onerror = function () { live.textContent = texts.off; live.className = "badge off"; };
  source.addEventListener("desk", refresh);
  refreshMap();
  // Target clocks move even without events: re-render once a minute.
  setInterval(refresh, 60000);
})();
