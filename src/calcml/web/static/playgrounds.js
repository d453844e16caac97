// The playgrounds: sliders kept in step with their number fields, the descent playground's
// contour plot (click to choose the start) and loss curve, and the backprop playground's
// stepper through the backward pass. No inline scripts, no code from strings (CSP); the pages
// read and submit without this file.
"use strict";
(function () {
  // ------------------------------------------------------------ sliders <-> number fields
  function syncSliders(root) {
    root.querySelectorAll("input[type=range][data-sync]").forEach(function (range) {
      var field = document.getElementById(range.getAttribute("data-sync"));
      if (!field) return;
      var log = range.hasAttribute("data-log");
      function fromField() {
        var v = parseFloat(field.value);
        if (!isFinite(v)) return;
        if (log) v = v > 0 ? Math.log10(v) : parseFloat(range.min);
        range.value = String(v);
      }
      range.addEventListener("input", function () {
        var v = parseFloat(range.value);
        field.value = log ? String(Number(Math.pow(10, v).toPrecision(3))) : String(v);
        field.dispatchEvent(new Event("input", { bubbles: true }));
      });
      field.addEventListener("input", fromField);
      fromField();
    });
  }

  // ------------------------------------------------------------ gradient descent
  function readData(id) {
    var el = document.getElementById(id);
    if (!el) return null;
    try { return JSON.parse(el.textContent); } catch (e) { return null; }
  }

  function finite(v) { return typeof v === "number" && isFinite(v); }

  function contourZ(grid) {
    // a function spanning many orders (Rosenbrock) is drawn on a log scale of f − min f
    var lo = Infinity, hi = -Infinity;
    grid.z.forEach(function (row) { row.forEach(function (v) { if (finite(v)) { lo = Math.min(lo, v); hi = Math.max(hi, v); } }); });
    if (!(hi - lo > 1e3)) return { z: grid.z, log: false };
    return {
      z: grid.z.map(function (row) { return row.map(function (v) { return finite(v) ? Math.log10(1 + v - lo) : null; }); }),
      log: true,
    };
  }

  function drawDescent() {
    var data = readData("gd-data"), plot = document.getElementById("gd-contour");
    if (!data || !plot || !window.Plotly) return;
    var c = contourZ(data.grid);
    var xs = [], ys = [];
    data.path.forEach(function (p) {
      xs.push(finite(p[0]) ? p[0] : null);
      ys.push(finite(p[1]) ? p[1] : null);
    });
    var traces = [
      { type: "contour", x: data.grid.x, y: data.grid.y, z: c.z, name: c.log ? "log10(1 + f − min f)" : "f",
        colorscale: "Viridis", showscale: false, ncontours: 24, contours: { coloring: "lines" }, line: { width: 1.2 },
        hoverinfo: "x+y" },
      { type: "scatter", mode: "lines+markers", x: xs, y: ys, name: "path",
        line: { color: "#c2410c", width: 2 }, marker: { size: 4, color: "#c2410c" } },
      { type: "scatter", mode: "markers", x: [xs[0]], y: [ys[0]], name: "start",
        marker: { size: 12, color: "#ffffff", line: { color: "#111827", width: 3 } } },
    ];
    var width = plot.clientWidth || 600;
    var layout = {
      margin: { l: 45, r: 10, t: 30, b: 40 }, height: Math.min(520, Math.max(300, width * 0.8)),
      xaxis: { range: data.xlim, title: { text: "x" } }, yaxis: { range: data.ylim, title: { text: "y" } },
      showlegend: true, legend: { orientation: "h", x: 0, y: 1.02, yanchor: "bottom" }, hovermode: "closest",
      paper_bgcolor: "#ffffff", plot_bgcolor: "#ffffff",
    };
    window.Plotly.newPlot(plot, traces, layout, { displaylogo: false, responsive: true }).then(function () {
      plot.setAttribute("data-drawn", "");
      // a click (press and release without dragging) inside the plot area picks the start;
      // watched at the pointer level since Plotly keeps the mouse events for zooming
      var down = null;
      plot.addEventListener("pointerdown", function (ev) {
        down = ev.target.closest && ev.target.closest(".nsewdrag") ? { x: ev.clientX, y: ev.clientY } : null;
      }, true);
      window.addEventListener("pointerup", function (ev) {
        if (!down || Math.hypot(ev.clientX - down.x, ev.clientY - down.y) > 4) { down = null; return; }
        down = null;
        var full = plot._fullLayout, xa = full && full.xaxis, ya = full && full.yaxis;
        if (!xa || !ya) return;
        var box = plot.getBoundingClientRect();
        var x = xa.p2l(ev.clientX - box.left - xa._offset), y = ya.p2l(ev.clientY - box.top - ya._offset);
        if (finite(x) && finite(y)) startAt(x, y);
      }, true);
    });
    var loss = document.getElementById("gd-loss");
    if (loss) {
      var ls = data.loss.map(function (v) { return finite(v) ? v : null; });
      var positive = ls.every(function (v) { return v === null || v > 0; });
      window.Plotly.newPlot(loss, [{ type: "scatter", mode: "lines", x: ls.map(function (_, i) { return i; }), y: ls,
        name: "loss", line: { color: "#1f5fa8", width: 2 } }],
        { margin: { l: 55, r: 10, t: 10, b: 40 }, height: 260, xaxis: { title: { text: "step" } },
          yaxis: { title: { text: "f" }, type: positive ? "log" : "linear" }, showlegend: false,
          paper_bgcolor: "#ffffff", plot_bgcolor: "#ffffff" },
        { displaylogo: false, responsive: true }).then(function () { loss.setAttribute("data-drawn", ""); });
    }
  }

  function startAt(x, y) {
    var form = document.getElementById("gd-form");
    if (!form) return;
    form.querySelector("#x0").value = String(Number(x.toFixed(3)));
    form.querySelector("#y0").value = String(Number(y.toFixed(3)));
    if (form.requestSubmit) form.requestSubmit(); else form.submit();
  }

  function descentForm() {
    var pick = document.getElementById("classic");
    if (!pick) return;
    pick.addEventListener("change", function () {
      // a new classic starts from its own start point and learning rate
      var o = pick.options[pick.selectedIndex];
      if (o.value === "custom") { document.getElementById("f").focus(); return; }
      ["x0", "y0", "lr"].forEach(function (k) {
        var field = document.getElementById(k);
        field.value = o.getAttribute("data-" + k);
        field.dispatchEvent(new Event("input", { bubbles: true }));
      });
    });
    var f = document.getElementById("f");
    f.addEventListener("input", function () { if (f.value.trim()) pick.value = "custom"; });
  }

  // ------------------------------------------------------------ backprop
  function backpropStepper() {
    var list = document.getElementById("bp-steps"), bar = document.getElementById("bp-stepper");
    if (!list || !bar) return;
    var items = list.querySelectorAll("li.bp-step");
    if (!items.length) return;
    var field = document.getElementById("bp-step"), range = document.getElementById("bp-step-range");
    var graph = document.getElementById("bp-graph");
    bar.hidden = false;
    list.classList.add("stepping");
    function show(k) {
      k = Math.max(1, Math.min(items.length, k | 0));
      items.forEach(function (li, i) { li.classList.toggle("current", i === k - 1); });
      field.value = String(k);
      range.value = String(k);
      var li = items[k - 1];
      if (graph) {
        graph.querySelectorAll(".active, .source").forEach(function (el) { el.classList.remove("active", "source"); });
        var edge = graph.querySelector('[data-edge="' + li.getAttribute("data-edge") + '"]');
        if (edge) edge.classList.add("active");
        var from = graph.querySelector('g[data-node="' + li.getAttribute("data-node") + '"]');
        var to = graph.querySelector('g[data-node="' + li.getAttribute("data-input") + '"]');
        if (from) from.classList.add("source");
        if (to) to.classList.add("active");
        var pane = graph.parentNode, at = to || from;
        if (at && pane && pane.scrollWidth > pane.clientWidth) {
          // keep the step's edge in view: the graph scrolls sideways, the page stays put
          var x = at.transform.baseVal.numberOfItems ? at.transform.baseVal.getItem(0).matrix.e : 0;
          pane.scrollLeft = Math.max(0, x + 64 - pane.clientWidth / 2);
        }
      }
    }
    document.getElementById("bp-prev").addEventListener("click", function () { show(+field.value - 1); });
    document.getElementById("bp-next").addEventListener("click", function () { show(+field.value + 1); });
    field.addEventListener("input", function () { if (field.value) show(+field.value); });
    range.addEventListener("input", function () { show(+range.value); });
    show(1);
    var copy = document.getElementById("bp-copy");
    if (copy) copy.addEventListener("click", function () {
      document.getElementById("weights").value = copy.getAttribute("data-weights");
      document.getElementById("biases").value = copy.getAttribute("data-biases");
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    syncSliders(document);
    descentForm();
    drawDescent();
    backpropStepper();
  });
})();
