/* bangfu dashboards: draws the charts of a dashboard from its data island (<script type="application/json"
   id="dashboard-data">, written by the server: the CSP allows no inline script). Each chart is an element
   <div data-dash-chart="ID">; the island holds the chart's kind, title and data, and the words to show. Charts are
   drawn on canvas with a CJK font, each with a button that saves it as a PNG named after its title; a click on a
   region's bar (or a recipient in the flows) opens that region's dashboard. */
(function () {
  "use strict";

  var FONT = '"PingFang SC", "Hiragino Sans GB", "Microsoft YaHei", "Noto Sans CJK SC", "Noto Sans SC", ' +
    '"WenQuanYi Micro Hei", "Source Han Sans SC", sans-serif';
  var PALETTE = ["#206bc4", "#2fb344", "#f76707", "#d63939", "#ae3ec9", "#17a2b8", "#d6336c", "#0ca678", "#f59f00",
    "#4263eb", "#74b816"];
  var self = document.currentScript;
  var number = new Intl.NumberFormat("zh-CN", { maximumFractionDigits: 2 });
  // Charts draw at once, without growing bars and lines, for those who ask for less motion.
  var still = window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;

  function fmt(value, unit) {
    if (value === null || value === undefined) { return "—"; }
    return number.format(value) + (unit ? " " + unit : "");
  }

  function base(chart, labels) {
    return {
      animation: !still,
      color: PALETTE,
      textStyle: { fontFamily: FONT },
      title: { text: chart.title, subtext: chart.subtitle || "", left: 0, top: 0,
        textStyle: { fontSize: 14, fontWeight: 600, fontFamily: FONT }, subtextStyle: { fontFamily: FONT, fontSize: 12 } },
      toolbox: {
        right: 0, top: -4, itemSize: 14,
        feature: { saveAsImage: { title: labels.save, name: chart.title, pixelRatio: 2, backgroundColor: "#fff" } }
      }
    };
  }

  function line(chart, option) {
    option.tooltip = { trigger: "axis" };
    option.legend = { bottom: 0, type: "scroll", textStyle: { fontFamily: FONT } };
    option.grid = { left: 8, right: 24, top: 58, bottom: 32, containLabel: true };
    option.xAxis = { type: "category", data: chart.x, boundaryGap: false };
    option.yAxis = { type: "value", name: chart.unit, nameTextStyle: { align: "left" } };
    option.series = chart.series.map(function (s, i) {
      var series = {
        name: s.name, type: "line", data: s.data, symbolSize: 6, connectNulls: false,
        tooltip: { valueFormatter: function (v) { return fmt(v, s.unit); } }
      };
      if (i === 0 && chart.x.indexOf(chart.year) >= 0) {
        series.markLine = { silent: true, symbol: "none", label: { show: false },
          lineStyle: { type: "dashed", color: "#999" }, data: [{ xAxis: chart.year }] };
      }
      return series;
    });
    return option;
  }

  function bars(items, unit, option, clickable) {
    option.tooltip = { trigger: "item", formatter: function (p) { return p.name + "：" + fmt(p.value, unit); } };
    option.grid = { left: 8, right: 56, top: 36, bottom: 8, containLabel: true };
    option.xAxis = { type: "value", name: unit, splitNumber: 3 };
    option.yAxis = {
      type: "category", inverse: true, data: items.map(function (i) { return i.name; }),
      axisLabel: { width: 96, overflow: "truncate" }, triggerEvent: !!clickable
    };
    option.series = [{
      type: "bar", barMaxWidth: 18, cursor: clickable ? "pointer" : "default",
      data: items.map(function (i) { return { value: i.value, name: i.name, url: i.url }; }),
      label: { show: true, position: "right", formatter: function (p) { return fmt(p.value); } }
    }];
    return option;
  }

  function pie(chart, option) {
    option.tooltip = { trigger: "item", formatter: function (p) {
      return p.name + "：" + fmt(p.value, chart.unit) + "（" + p.percent + "%）";
    } };
    option.legend = { bottom: 0, itemGap: 8, textStyle: { fontFamily: FONT } };
    option.series = [{
      type: "pie", radius: ["34%", "56%"], center: ["50%", "50%"], avoidLabelOverlap: true,
      itemStyle: { borderColor: "#fff", borderWidth: 2 }, label: { show: false }, data: chart.items
    }];
    return option;
  }

  function funnel(chart, option) {
    var top = Math.max.apply(null, chart.items.map(function (i) { return i.value || 0; }));
    option.tooltip = { trigger: "item", formatter: function (p) { return p.name + "：" + fmt(p.value, chart.unit); } };
    option.series = [{
      type: "funnel", sort: "none", left: "8%", right: "8%", top: 56, bottom: 8, min: 0, max: top || 1, gap: 4,
      minSize: "20%", label: { position: "inside", color: "#fff", formatter: function (p) {
        return p.name + "\n" + fmt(p.value);
      } },
      data: chart.items
    }];
    return option;
  }

  function sankey(chart, option) {
    var labels = {};
    chart.nodes.forEach(function (n) { labels[n.name] = n.label; });
    option.tooltip = { trigger: "item", formatter: function (p) {
      if (p.dataType === "edge") {
        return labels[p.data.source] + " → " + labels[p.data.target] + "：" + fmt(p.data.value, chart.unit);
      }
      return labels[p.name] + "：" + fmt(p.value, chart.unit);
    } };
    option.series = [{
      type: "sankey", top: 36, bottom: 8, left: 8, right: 150, nodeWidth: 12, nodeGap: 14, draggable: false,
      emphasis: { focus: "adjacency" }, lineStyle: { color: "gradient", opacity: 0.35 },
      label: { formatter: function (p) { return labels[p.name]; }, fontFamily: FONT, fontSize: 11, width: 140,
        overflow: "truncate" },
      data: chart.nodes.map(function (n) { return { name: n.name, url: n.url, cursor: n.url ? "pointer" : "default" }; }),
      links: chart.links
    }];
    return option;
  }

  function rankOption(chart, labels, index) {
    var metric = chart.metrics[index];
    var option = base(chart, labels);
    option.title.subtext = metric.name;
    option.title.subtextStyle = { fontFamily: FONT, fontSize: 12 };
    option.toolbox.feature.saveAsImage.name = chart.title + " · " + metric.name;
    option = bars(metric.items, metric.unit, option, true);
    option.grid.top = 60;
    return option;
  }

  function rankHeight(metric) {
    return Math.max(192, 80 + metric.items.length * 24) + "px";
  }

  function optionFor(chart, labels) {
    var option = base(chart, labels);
    switch (chart.kind) {
      case "line": return line(chart, option);
      case "bar": return bars(chart.items, chart.unit, option, false);
      case "pie": return pie(chart, option);
      case "funnel": return funnel(chart, option);
      case "sankey": return sankey(chart, option);
      case "rank": return rankOption(chart, labels, 0);
    }
    return option;
  }

  function open(url) { if (url) { window.location.assign(url); } }

  function draw() {
    var island = document.getElementById("dashboard-data");
    if (!island || typeof window.echarts === "undefined") { return; }
    var data = JSON.parse(island.textContent);
    var drawn = [];
    document.querySelectorAll("[data-dash-chart]").forEach(function (el) {
      var chart = data.charts[el.dataset.dashChart];
      if (!chart || el.dataset.drawn) { return; }
      if (chart.kind === "rank") { el.style.height = rankHeight(chart.metrics[0]); }
      if (chart.kind === "sankey") {
        var sides = [0, 0];
        chart.nodes.forEach(function (n) { sides[n.code ? 1 : 0] += 1; });
        el.style.height = Math.max(320, 48 + Math.max(sides[0], sides[1]) * 30) + "px";
      }
      var instance = window.echarts.init(el, null, { renderer: "canvas" });
      instance.setOption(optionFor(chart, data.labels));
      instance.on("click", function (p) {
        if (chart.kind === "rank") {
          if (p.componentType === "series") { open(p.data && p.data.url); }
          if (p.componentType === "yAxis") {
            var metric = chart.metrics[Number(el.dataset.metric || 0)];
            metric.items.forEach(function (i) { if (i.name === p.value) { open(i.url); } });
          }
        } else if (chart.kind === "sankey" && p.dataType === "node") {
          open(p.data && p.data.url);
        }
      });
      el.dataset.drawn = "1";
      drawn.push(instance);
    });
    document.querySelectorAll("[data-dash-metric]").forEach(function (select) {
      select.addEventListener("change", function () {
        var el = document.querySelector("[data-dash-chart='" + select.dataset.dashMetric + "']");
        var chart = data.charts[select.dataset.dashMetric];
        if (!el || !chart) { return; }
        var instance = window.echarts.getInstanceByDom(el);
        el.dataset.metric = select.value;
        el.style.height = rankHeight(chart.metrics[Number(select.value)]);
        instance.resize();
        instance.setOption(rankOption(chart, data.labels, Number(select.value)), true);
      });
    });
    window.addEventListener("resize", function () { drawn.forEach(function (c) { c.resize(); }); });
  }

  function start() {
    if (typeof window.echarts !== "undefined" || !self || !self.dataset.echarts) { draw(); return; }
    // On the home page, ECharts may not be on the page yet: load it (same origin, as the CSP allows), then draw.
    var script = document.createElement("script");
    script.src = self.dataset.echarts;
    script.onload = draw;
    document.head.appendChild(script);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
