// Draws the year-on-year SPBE chart with the vendored ECharts, when it is present.
// The table next to it carries the same numbers, so the page works without it.
(function () {
  "use strict";
  function draw() {
    if (!window.echarts) return;
    document.querySelectorAll("[data-chart-source]").forEach(function (el) {
      var source = document.getElementById(el.getAttribute("data-chart-source"));
      if (!source) return;
      var data = JSON.parse(source.textContent);
      var series = data.domains.map(function (d) {
        return { name: d.name, type: "bar", data: d.values };
      });
      series.push({ name: "Indeks SPBE", type: "line", data: data.index, lineStyle: { width: 3 } });
      var chart = window.echarts.init(el);
      chart.setOption({
        tooltip: { trigger: "axis" },
        legend: { type: "scroll", bottom: 0 },
        grid: { left: 40, right: 10, top: 20, bottom: 60 },
        xAxis: { type: "category", data: data.years },
        yAxis: { type: "value", min: 0, max: 5 },
        series: series,
      });
      window.addEventListener("resize", function () { chart.resize(); });
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
})();
