/* The command-centre overview: 12-month sparklines (ECharts) and the layered map (Leaflet).
 * Data comes from the page's JSON endpoints (tren.json, peta.json); nothing from outside. */
(function () {
  "use strict";

  function sparklines() {
    var source = document.getElementById("dashboard-trend-url");
    if (!source || !window.echarts) return;
    fetch(JSON.parse(source.textContent), { credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (data) {
        if (!data) return;
        document.querySelectorAll("[data-spark]").forEach(function (el) {
          var values = data.series[el.dataset.spark];
          if (!values) return;
          var chart = window.echarts.init(el, null, { renderer: "svg" });
          chart.setOption({
            animation: false,
            grid: { left: 2, right: 2, top: 4, bottom: 2 },
            xAxis: { type: "category", show: false, data: data.months },
            yAxis: { type: "value", show: false, min: "dataMin" },
            tooltip: { trigger: "axis", confine: true },
            series: [{ type: "line", data: values, symbol: "none", connectNulls: false,
                       lineStyle: { width: 2, color: "#0b6e4f" }, areaStyle: { opacity: 0.12, color: "#0b6e4f" } }]
          });
          el.dataset.rendered = "1";
        });
      });
  }

  // A figure split into parts (112 incidents by kind): a bar per part, read from the
  // figure's own list of links; a click on a bar opens that part's rows.
  function partCharts() {
    if (!window.echarts) return;
    document.querySelectorAll("[data-parts-chart]").forEach(function (el) {
      var items = el.parentNode.querySelectorAll("[data-parts='" + el.dataset.partsChart + "'] [data-part]");
      var labels = [], values = [], urls = [];
      items.forEach(function (a) {
        labels.push(a.textContent);
        values.push(Number(a.dataset.value));
        urls.push(a.getAttribute("href"));
      });
      el.style.height = (labels.length * 26 + 12) + "px";  // a bar per part, no empty space
      var chart = window.echarts.init(el, null, { renderer: "svg" });
      chart.setOption({
        animation: false,
        grid: { left: 4, right: 24, top: 4, bottom: 4, containLabel: true },
        xAxis: { type: "value", show: false },
        yAxis: { type: "category", data: labels.slice().reverse(), axisTick: { show: false } },
        tooltip: { trigger: "axis", confine: true },
        series: [{ type: "bar", data: values.slice().reverse(), itemStyle: { color: "#c0392b" },
                   label: { show: true, position: "right" }, cursor: "pointer" }]
      });
      chart.on("click", function (params) {
        var url = urls[urls.length - 1 - params.dataIndex];
        if (url) window.location.href = url;
      });
      el.dataset.rendered = "1";
    });
  }

  function legendFor(layers) {
    var list = document.getElementById("map-legend");
    if (!list) return;
    list.innerHTML = "";
    Object.keys(layers).forEach(function (key) {
      (layers[key].legend || []).forEach(function (item) {
        var li = document.createElement("li");
        var dot = document.createElement("span");
        dot.className = "dot";
        dot.style.background = item.color;
        li.appendChild(dot);
        li.appendChild(document.createTextNode(item.label));
        list.appendChild(li);
      });
    });
  }

  function initMap() {
    var el = document.querySelector("[data-map='dashboard-map']");
    if (!el || !window.L) return;
    var conf = JSON.parse(document.getElementById("dashboard-map").textContent);
    var map = L.map(el).setView(conf.center, conf.zoom || 12);
    if (el.dataset.tiles) {
      L.tileLayer(el.dataset.tiles, { maxZoom: 19, attribution: el.dataset.attribution || "" }).addTo(map);
    }
    if (conf.boundary_url && window.fetch) {  // tenants.maps.map_config: fetched once, cached
      fetch(conf.boundary_url, { credentials: "same-origin" })
        .then(function (r) { return r.ok ? r.json() : null; })
        .then(function (shape) {
          if (shape) L.geoJSON(shape, { interactive: false, style: { color: "#0b6e4f", weight: 2, fillOpacity: 0.03 } }).addTo(map);
        })
        .catch(function () { /* the map works without its outline */ });
    }
    (conf.centres || []).forEach(function (c) {
      L.marker([c.lat, c.lng], {
        icon: L.divIcon({ className: "kec-label", html: "<span></span>", iconSize: [8, 8] }),
        title: c.name, keyboard: false
      }).bindTooltip(c.name, { permanent: false }).addTo(map);
    });
    var groups = {}, loaded = {};
    function draw(key, data) {
      var group = groups[key];
      group.clearLayers();
      (data.points || []).forEach(function (p) {
        L.circleMarker([p.lat, p.lng], { radius: 6, color: p.color, weight: 1, fillOpacity: 0.8 }).addTo(group);
      });
      (data.clusters || []).forEach(function (c) {
        var size = Math.min(56, 22 + Math.round(Math.log(c.count) * 5));
        L.marker([c.lat, c.lng], {
          icon: L.divIcon({
            className: "cluster", iconSize: [size, size],
            html: '<span style="background:' + c.color + ";width:" + size + "px;height:" + size + "px;line-height:" + size + 'px">' + c.count + "</span>"
          })
        }).addTo(group);
      });
      var count = document.querySelector("[data-count='" + key + "']");
      if (count) count.textContent = "(" + data.total + ")";
      loaded[key] = data;
      legendFor(loaded);
      el.dataset["layer_" + key.replace(".", "_")] = String(data.total);
    }
    function load(key) {
      var url = conf.data_url + "?lapisan=" + encodeURIComponent(key) + "&zoom=" + map.getZoom() +
        (conf.kecamatan ? "&kecamatan=" + encodeURIComponent(conf.kecamatan) : "");
      fetch(url, { credentials: "same-origin" })
        .then(function (r) { return r.ok ? r.json() : null; })
        .then(function (data) { if (data && groups[key] && map.hasLayer(groups[key])) draw(key, data); });
    }
    document.querySelectorAll("input[name='layer']").forEach(function (box) {
      var key = box.value;
      groups[key] = L.layerGroup();
      function apply() {
        if (box.checked) { groups[key].addTo(map); load(key); }
        else { map.removeLayer(groups[key]); delete loaded[key]; legendFor(loaded); }
      }
      box.addEventListener("change", apply);
      apply();
    });
    map.on("zoomend", function () {
      Object.keys(loaded).forEach(function (key) { if (loaded[key].clusters) load(key); });
    });
    el._leafletMap = map;
  }

  document.addEventListener("DOMContentLoaded", function () { sparklines(); partCharts(); initMap(); });
})();
