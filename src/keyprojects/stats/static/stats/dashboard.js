// Statistics charts (Apache ECharts, served from the project's static files).
//
// Every element with data-chart="<id>" gets a chart drawn from the JSON of the element with
// that id (rendered by Django's json_script); the same figures are in the table beside it.
// The Content-Security-Policy forbids inline style attributes, which ECharts' default HTML
// tooltip writes into its markup. Its "richText" mode draws in the canvas but with the
// canvas's default font (no Chinese glyphs here), so the tooltip stays HTML and its content
// is built with DOM calls instead: text nodes, classes, and colours set through the CSSOM,
// which the policy allows (as ECharts' own positioning of the tooltip box does).
// Chinese glyphs come from the page's Noto Sans SC web font, whose files are split by
// Unicode range: the characters of the chart's text are loaded before it is drawn.
(function () {
  "use strict";
  var FONT_FAMILY = '"Noto Sans SC", system-ui, sans-serif';
  var COLORS = ["#9b1c1c", "#2f6db5", "#b8860b", "#2e8b57", "#6f42c1"];
  var MONEY_COLOR = "#2e8b57"; // amounts (万元) are always the green line
  var charts = [];

  function textStyle() {
    return { fontFamily: FONT_FAMILY, color: "#1d2733" };
  }

  function tooltipContent(params) {
    var list = Array.isArray(params) ? params : [params];
    var box = document.createElement("div");
    var head = document.createElement("div");
    head.className = "stats-tooltip-title";
    head.textContent = list[0].axisValueLabel || list[0].name;
    box.appendChild(head);
    list.forEach(function (p) {
      var line = document.createElement("div");
      var dot = document.createElement("span");
      dot.className = "stats-tooltip-dot";
      dot.style.backgroundColor = p.color;
      var value = p.seriesType === "line" ? Number(p.value).toFixed(2) : String(p.value);
      var label = p.seriesType === "funnel" ? "" : p.seriesName + "：";
      line.appendChild(dot);
      line.appendChild(document.createTextNode(label + value));
      box.appendChild(line);
    });
    return box;
  }

  function tooltip(trigger) {
    return {
      trigger: trigger, formatter: tooltipContent, textStyle: textStyle(),
      axisPointer: { type: "shadow" }
    };
  }

  function barOptions(data) {
    var rotate = data.labels.length > 6 ? 35 : 0;
    var series = data.series.map(function (s) {
      return { name: s.name, type: "bar", data: s.values, barMaxWidth: 26 };
    });
    var yAxis = [{ type: "value", name: data.axes.count, minInterval: 1 }];
    data.lines.forEach(function (line) {
      yAxis.push({ type: "value", name: data.axes.money, splitLine: { show: false } });
      series.push({
        name: line.name, type: "line", yAxisIndex: 1, symbolSize: 7,
        itemStyle: { color: MONEY_COLOR }, lineStyle: { color: MONEY_COLOR },
        data: line.values.map(Number)
      });
    });
    return {
      tooltip: tooltip("axis"),
      legend: { top: 0, textStyle: textStyle() },
      grid: { left: 8, right: 8, top: 56, bottom: 8, containLabel: true },
      xAxis: { type: "category", data: data.labels, axisLabel: { interval: 0, rotate: rotate } },
      yAxis: yAxis,
      series: series
    };
  }

  function funnelOptions(data) {
    return {
      tooltip: tooltip("item"),
      series: [{
        name: data.title, type: "funnel", sort: "none", gap: 3, minSize: "12%",
        left: "8%", right: "8%", top: 12, bottom: 12,
        label: { show: true, position: "inside", formatter: "{b}  {c}", color: "#fff" },
        data: data.labels.map(function (label, i) { return { name: label, value: data.values[i] }; })
      }]
    };
  }

  function draw(el, data) {
    var chart = echarts.init(el, null, { renderer: "canvas" });
    var options = data.kind === "funnel" ? funnelOptions(data) : barOptions(data);
    options.color = COLORS;
    options.textStyle = textStyle();
    options.animation = false;
    options.aria = { enabled: true };
    chart.setOption(options);
    el.dataset.chartReady = "true"; // the browser tests wait for this
    charts.push(chart);
  }

  function allText(data) {
    var parts = [data.title].concat(data.labels);
    (data.series || []).concat(data.lines || []).forEach(function (s) { parts.push(s.name); });
    if (data.axes) parts.push(data.axes.count, data.axes.money);
    return parts.join("") + "0123456789：，.";
  }

  function start() {
    if (typeof echarts === "undefined") return;
    document.querySelectorAll("[data-chart]").forEach(function (el) {
      var source = document.getElementById(el.dataset.chart);
      if (!source) return;
      var data = JSON.parse(source.textContent);
      var loading = document.fonts && document.fonts.load
        ? document.fonts.load('12px "Noto Sans SC"', allText(data)).catch(function () {})
        : Promise.resolve();
      loading.then(function () { draw(el, data); });
    });
    window.addEventListener("resize", function () {
      charts.forEach(function (chart) { chart.resize(); });
    });
  }

  document.addEventListener("DOMContentLoaded", start);
})();
