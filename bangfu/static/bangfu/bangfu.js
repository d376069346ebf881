/* bangfu: the little JavaScript of the web UI (CSP allows no inline script). Charts are drawn from JSON data
   islands: <div class="chart" data-chart="ID" data-chart-type="pie|bar"> with <script type="application/json" id="ID">. */
(function () {
  "use strict";

  var PALETTE = ["#206bc4", "#d63939", "#2fb344", "#f76707", "#ae3ec9", "#17a2b8", "#d6336c", "#0ca678", "#f59f00"];

  function chartOption(type, data) {
    if (type === "pie") {
      return {
        color: PALETTE,
        tooltip: { trigger: "item", formatter: "{b}: {c} ({d}%)" },
        legend: { orient: "vertical", right: 0, top: "middle", type: "scroll" },
        series: [{
          type: "pie", radius: ["48%", "72%"], center: ["32%", "50%"], avoidLabelOverlap: true,
          itemStyle: { borderColor: "#fff", borderWidth: 2 }, label: { show: false },
          data: data.items
        }]
      };
    }
    return {
      color: ["#2fb344", "#d63939"],
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
      legend: { top: 0 },
      grid: { left: 8, right: 16, bottom: 8, top: 32, containLabel: true },
      xAxis: { type: "value", minInterval: 1 },
      yAxis: { type: "category", data: data.categories, inverse: true },
      series: data.series.map(function (s) {
        return { name: s.name, type: "bar", stack: "total", barMaxWidth: 22, data: s.data };
      })
    };
  }

  function drawCharts(root) {
    if (typeof window.echarts === "undefined") { return; }
    (root || document).querySelectorAll("[data-chart]").forEach(function (el) {
      if (el.dataset.drawn) { return; }
      var island = document.getElementById(el.dataset.chart);
      if (!island) { return; }
      var chart = window.echarts.init(el, null, { renderer: "svg" });
      chart.setOption(chartOption(el.dataset.chartType, JSON.parse(island.textContent)));
      el.dataset.drawn = "1";
      window.addEventListener("resize", function () { chart.resize(); });
    });
  }

  // Buttons that confirm before they submit: <button data-confirm="…">.
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-confirm]");
    if (button && !window.confirm(button.dataset.confirm)) { event.preventDefault(); }
  });

  // Filter forms submit when a select changes.
  document.addEventListener("change", function (event) {
    if (event.target.matches("form.filters select")) {
      event.target.form.requestSubmit();
    }
  });

  document.addEventListener("DOMContentLoaded", function () { drawCharts(document); });
  document.addEventListener("htmx:afterSettle", function (event) { drawCharts(event.target); });
})();
