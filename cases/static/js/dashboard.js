/* The dashboard's charts (Apache ECharts, served from our own static files). */
(function () {
  "use strict";
  var node = document.getElementById("chart-data");
  if (!node || typeof echarts === "undefined") { return; }
  var data = JSON.parse(node.textContent);
  var colours = {
    upheld: "#2f7d4a", corrected: "#c0392b", withdrawn: "#2c6fbb",
    mediated: "#8e44ad", other: "#7f8c8d", pending: "#e39b2b"
  };
  var charts = [];

  function stacked(element, categories, seriesByKey, horizontal) {
    var el = document.getElementById(element);
    if (!el) { return; }
    var chart = echarts.init(el, null, { renderer: "svg" });
    var series = data.buckets.map(function (b) {
      return {
        name: b.label, type: "bar", stack: "total", data: seriesByKey[b.key],
        itemStyle: { color: colours[b.key] }, emphasis: { focus: "series" },
        label: { show: true, formatter: function (p) { return p.value ? p.value : ""; } }
      };
    });
    var categoryAxis = { type: "category", data: categories, axisLabel: { interval: 0 } };
    var valueAxis = { type: "value", minInterval: 1 };
    chart.setOption({
      animation: false,
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
      legend: { top: 0, type: "scroll" },
      grid: { left: 8, right: 16, top: 36, bottom: 8, containLabel: true },
      xAxis: horizontal ? valueAxis : categoryAxis,
      yAxis: horizontal ? categoryAxis : valueAxis,
      series: series
    });
    charts.push(chart);
  }

  stacked("chart-trend", data.trend.years, data.trend.series, false);
  stacked("chart-kind", data.by_kind.categories, data.by_kind.series, true);
  stacked("chart-subject", data.by_subject.categories, data.by_subject.series, true);

  // Each chart follows its own box (the columns stack on a phone, a card may change width without the
  // window resizing); browsers without ResizeObserver fall back to the window's resize.
  if (typeof ResizeObserver !== "undefined") {
    charts.forEach(function (c) { new ResizeObserver(function () { c.resize(); }).observe(c.getDom()); });
  } else {
    window.addEventListener("resize", function () { charts.forEach(function (c) { c.resize(); }); });
  }
  window.addEventListener("beforeprint", function () { charts.forEach(function (c) { c.resize(); }); });
})();
