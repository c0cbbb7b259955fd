// Report charts with the vendored ECharts; the tables carry the same numbers without JavaScript.
(function () {
  "use strict";
  if (!window.echarts) return;
  var data = JSON.parse(document.getElementById("chart-data").textContent);
  function chart(id, option) {
    var el = document.getElementById(id);
    option.animation = false;  // static numbers; also lighter on a cheap phone
    if (el) echarts.init(el).setOption(option);
  }
  chart("chart-calls", {
    tooltip: {trigger: "axis"}, legend: {},
    xAxis: {type: "category", data: data.days}, yAxis: {type: "value"},
    series: [
      {name: data.labels.valid, type: "bar", stack: "c", data: data.valid},
      {name: data.labels.invalid, type: "bar", stack: "c", data: data.invalid}
    ]
  });
  chart("chart-categories", {tooltip: {}, series: [{type: "pie", radius: "65%", data: data.categories}]});
  chart("chart-kecamatan", {
    tooltip: {}, xAxis: {type: "category", data: data.kecamatan[0]}, yAxis: {type: "value"},
    series: [{type: "bar", data: data.kecamatan[1]}]
  });
  chart("chart-agencies", {
    tooltip: {trigger: "axis"}, legend: {},
    xAxis: {type: "category", name: data.labels.minutes, data: data.buckets}, yAxis: {type: "value"},
    series: data.agencies.map(function (a) { return {name: a.name, type: "bar", data: a.data}; })
  });
})();
