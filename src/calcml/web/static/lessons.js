// The lessons' interactive figures: fetch each figure's frames (computed by calcml on the
// server, /figures/<name>.json), build a slider with its number field, draw with Plotly.
// Nothing is computed here: a slider only picks a precomputed frame. No inline script, no code
// from strings (the page's CSP forbids both).
"use strict";
(function () {
  var BLUE = "#1f5fa8", ORANGE = "#c2410c", GREEN = "#15803d", GREY = "#6b7280", PURPLE = "#7c3aed";

  function make(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function fmt(v) {
    if (v === null || v === undefined || typeof v !== "number") return "—";
    var a = Math.abs(v);
    if (a !== 0 && (a >= 1e5 || a < 1e-3)) return v.toExponential(2);
    return String(+v.toPrecision(4));
  }

  function tex(span, source) {
    span.setAttribute("data-tex", source);
    if (window.katex) {
      window.katex.render(source, span, { throwOnError: false, strict: "ignore", output: "htmlAndMathml" });
    } else {
      span.textContent = source;
    }
  }

  function webgl() {
    try {
      var c = document.createElement("canvas");
      return !!(window.WebGLRenderingContext && (c.getContext("webgl") || c.getContext("experimental-webgl")));
    } catch (e) {
      return false;
    }
  }

  function plot(div, traces, layout) {
    var base = {
      margin: { l: 48, r: 10, t: 10, b: 40 }, height: 320, showlegend: true,
      legend: { orientation: "h", y: -0.2 }, paper_bgcolor: "#ffffff", plot_bgcolor: "#ffffff",
    };
    Object.keys(layout || {}).forEach(function (k) { base[k] = layout[k]; });
    window.Plotly.react(div, traces, base, { displaylogo: false, responsive: true });
  }

  function nearest(values, v) {
    var best = 0;
    for (var i = 1; i < values.length; i++) if (Math.abs(values[i] - v) < Math.abs(values[best] - v)) best = i;
    return best;
  }

  // A slider (over the frame index) and its number field (the value itself), kept in step.
  function controls(fig, spec, onChange) {
    var box = make("div", { "class": "figure-controls" });
    var id = "ctl-" + fig.getAttribute("data-name") + "-" + spec.name;
    var label = make("label", { "for": id }, spec.label);
    var range = make("input", { type: "range", id: id, min: "0", max: String(spec.values.length - 1), step: "1",
                                 "aria-label": spec.label + " (slider)" });
    var number = make("input", { type: "number", min: String(spec.min), max: String(spec.max), step: String(spec.step),
                                  "aria-label": spec.label + " (number)", "class": "figure-number" });
    function show(i, from) {
      var v = spec.values[i];
      if (from !== range) range.value = String(i);
      if (from !== number) number.value = String(v);
      range.setAttribute("aria-valuetext", spec.label + " = " + v);
      onChange(i);
    }
    range.addEventListener("input", function () { show(+range.value, range); });
    number.addEventListener("change", function () {
      var v = parseFloat(number.value);
      if (!isFinite(v)) return;
      show(nearest(spec.values, v), null);
    });
    box.appendChild(label);
    box.appendChild(range);
    box.appendChild(number);
    return { node: box, show: show, start: nearest(spec.values, spec.start) };
  }

  function panels(fig, n) {
    var grid = make("div", { "class": "figure-panels" });
    var out = [];
    for (var i = 0; i < n; i++) {
      var d = make("div", { "class": "figure-plot" });
      grid.appendChild(d);
      out.push(d);
    }
    fig.appendChild(grid);
    return out;
  }

  function status(fig) {
    var p = make("div", { "class": "figure-status", role: "status", "aria-live": "polite" });
    fig.appendChild(p);
    return p;
  }

  function formula(fig, source) {
    var p = make("p", { "class": "figure-formula" });
    var span = make("span", { "class": "math display" });
    p.appendChild(span);
    fig.appendChild(p);
    tex(span, source);
  }

  function line(x, y, name, color, dash) {
    return { type: "scatter", mode: "lines", x: x, y: y, name: name, line: { color: color, width: 2, dash: dash || "solid" } };
  }

  function dots(x, y, name, color) {
    return { type: "scatter", mode: "markers", x: x, y: y, name: name, marker: { size: 9, color: color } };
  }

  function contour(s) {
    return { type: "contour", x: s.x, y: s.y, z: s.z, name: "f", colorscale: "Greys", reversescale: true,
             showscale: false, ncontours: 14, contours: { coloring: "lines" }, line: { width: 1 }, hoverinfo: "skip" };
  }

  function runStatus(node, prefix, f) {
    node.textContent = "";
    node.appendChild(document.createTextNode(prefix));
    var s = make("span", { "class": "status status-" + f.status, "data-status": f.status }, f.status);
    node.appendChild(s);
    node.appendChild(document.createTextNode(" after " + f.steps + " steps — predicted rate " + fmt(f.predicted_rate) +
      ", measured rate " + fmt(f.measured_rate) + " per step."));
  }

  function lossPanel(div, series, marker) {
    var traces = series.map(function (s) { return line(s.x || s.y.map(function (_, k) { return k; }), s.y, s.name, s.color); });
    if (marker) traces.push(dots([marker[0]], [marker[1]], "now", ORANGE));
    plot(div, traces, { xaxis: { title: { text: "step k" } }, yaxis: { type: "log", title: { text: "loss" } } });
  }

  var DRAW = {
    secant: function (fig, data) {
      formula(fig, data.tex + ",\\quad " + data.derivative_tex);
      var div = panels(fig, 1)[0], st = status(fig);
      return function (i) {
        var f = data.frames[i];
        plot(div, [
          line(data.curve.x, data.curve.y, "f(x)", BLUE),
          line(data.tangent.x, data.tangent.y, "tangent, slope f′(a) = " + fmt(data.tangent.slope), GREEN, "dash"),
          line(f.line.x, f.line.y, "secant, slope " + fmt(f.slope), ORANGE),
          dots([data.a, f.point[0]], [data.fa, f.point[1]], "(a, f(a)) and (a + h, f(a + h))", "#111827"),
        ], { xaxis: { range: data.window.x }, yaxis: { range: data.window.y } });
        st.textContent = "h = " + fmt(f.h) + ": secant slope (f(a + h) − f(a))/h = " + fmt(f.slope) +
          "; tangent slope f′(" + fmt(data.a) + ") = " + fmt(data.tangent.slope) +
          "; difference " + fmt(f.slope - data.tangent.slope) + ".";
      };
    },

    "learning-rate": function (fig, data) {
      formula(fig, data.tex);
      var facts = make("p", { "class": "muted" }, "Hessian eigenvalues " + data.eigenvalues.map(fmt).join(", ") +
        ": L = " + fmt(data.L) + ", so a fixed step is stable only below 2/L = " + fmt(data.limit) + ".");
      fig.appendChild(facts);
      var toggle = make("button", { type: "button", "class": "secondary", "aria-pressed": "false" }, "3-D surface");
      var note = make("p", { "class": "figure-note", hidden: "" },
        "The 3-D view needs WebGL, which this browser does not provide: the figure is shown in 2-D (contour lines of the same surface).");
      fig.appendChild(toggle);
      fig.appendChild(note);
      var ps = panels(fig, 2), st = status(fig), why = make("p", { "class": "figure-explanation" });
      fig.appendChild(why);
      var three = false, current = 0, gl = webgl();
      if (!gl) { toggle.disabled = true; note.hidden = false; fig.setAttribute("data-webgl", "missing"); }
      toggle.addEventListener("click", function () {
        three = !three && gl;
        toggle.setAttribute("aria-pressed", String(three));
        window.Plotly.purge(ps[0]);
        draw(current);
      });
      function draw(i) {
        current = i;
        var f = data.frames[i];
        if (three) {
          var z = f.path.x.map(function (_, k) { return f.losses[k]; });
          plot(ps[0], [
            { type: "surface", x: data.surface.x, y: data.surface.y, z: data.surface.z, showscale: false, opacity: 0.85, colorscale: "Viridis", name: "f" },
            { type: "scatter3d", mode: "lines+markers", x: f.path.x, y: f.path.y, z: z, name: "iterates", line: { color: ORANGE, width: 4 }, marker: { size: 2 } },
          ], { scene: { zaxis: { range: [0, 15] } } });
        } else {
          plot(ps[0], [contour(data.surface), line(f.path.x, f.path.y, "iterates θₖ", ORANGE),
                       dots([data.start[0]], [data.start[1]], "start", "#111827")],
               { xaxis: { range: data.window.x, title: { text: "x" } }, yaxis: { range: data.window.y, title: { text: "y" } } });
        }
        lossPanel(ps[1], [{ y: f.losses, name: "loss f(θₖ)", color: BLUE }]);
        var side = f.lr < data.limit ? " < " : (f.lr > data.limit ? " > " : " = ");
        runStatus(st, "η = " + fmt(f.lr) + side + "2/L = " + fmt(data.limit) + ": ", f);
        why.textContent = f.explanation;
      }
      return draw;
    },

    momentum: function (fig, data) {
      formula(fig, data.tex);
      var ps = panels(fig, 2), st = status(fig), plain = make("p", { "class": "figure-status" });
      fig.appendChild(plain);
      runStatus(plain, "Plain gradient descent (η = " + fmt(data.lr) + "): ", data.plain);
      return function (i) {
        var f = data.frames[i];
        plot(ps[0], [contour(data.surface), line(data.plain.path.x, data.plain.path.y, "plain GD", GREY),
                     line(f.path.x, f.path.y, "momentum β = " + fmt(f.beta), PURPLE)],
             { xaxis: { range: data.window.x, title: { text: "x" } }, yaxis: { range: data.window.y, title: { text: "y" } } });
        lossPanel(ps[1], [{ y: data.plain.losses, name: "plain GD", color: GREY },
                          { y: f.losses, name: "momentum", color: PURPLE }]);
        runStatus(st, "Momentum β = " + fmt(f.beta) + ": ", f);
      };
    },

    taylor: function (fig, data) {
      formula(fig, data.tex);
      var div = panels(fig, 1)[0], st = status(fig), poly = make("span", { "class": "math display" });
      fig.appendChild(poly);
      return function (i) {
        var f = data.frames[i];
        plot(div, [line(data.curve.x, data.curve.y, "f(x)", BLUE), line(data.curve.x, f.y, "Tₙ(x), n = " + f.order, ORANGE)],
             { xaxis: { range: data.window.x }, yaxis: { range: data.window.y } });
        st.textContent = "Order n = " + f.order + ":";
        tex(poly, f.tex);
      };
    },

    regression: function (fig, data) {
      formula(fig, data.tex);
      var play = make("button", { type: "button", "class": "secondary" }, "Play");
      fig.appendChild(play);
      var ps = panels(fig, 2), st = status(fig), timer = null, show = null;
      var k = data.losses.map(function (_, j) { return j; });
      play.addEventListener("click", function () {
        if (timer) { clearInterval(timer); timer = null; play.textContent = "Play"; return; }
        play.textContent = "Pause";
        timer = setInterval(function () {
          var next = (+fig.getAttribute("data-frame") + 1) % data.frames.length;
          show(next, null);
          if (next === data.frames.length - 1) { clearInterval(timer); timer = null; play.textContent = "Play"; }
        }, 250);
      });
      var draw = function (i) {
        var f = data.frames[i];
        plot(ps[0], [dots(data.points.x, data.points.y, "data (xᵢ, yᵢ)", BLUE), line(f.line.x, f.line.y, "ŷ = w·x + b", ORANGE)],
             { xaxis: { title: { text: "x" } }, yaxis: { title: { text: "y" } } });
        lossPanel(ps[1], [{ x: k, y: data.losses, name: "loss L(w, b)", color: BLUE }], [f.step, f.loss]);
        st.textContent = "Step " + f.step + ": w = " + fmt(f.w) + ", b = " + fmt(f.b) + ", loss L = " + fmt(f.loss) + ".";
      };
      draw.bind_show = function (s) { show = s; };
      return draw;
    },

    "chain-graph": function (fig, data) {
      formula(fig, data.tex);
      var div = panels(fig, 1)[0], st = status(fig);
      var table = make("table", { "class": "graph-table" });
      var wrap = make("div", { "class": "table-wrap" });
      wrap.appendChild(table);
      fig.appendChild(wrap);
      return function (i) {
        var f = data.frames[i], at = {};
        f.nodes.forEach(function (n) { at[n.name] = n; });
        var ex = [], ey = [], notes = [];
        f.edges.forEach(function (e) {
          var a = at[e.from], b = at[e.to];
          ex.push(a.x, b.x, null); ey.push(a.y, b.y, null);
          notes.push({ x: (a.x + b.x) / 2, y: (a.y + b.y) / 2, text: "∂L/∂" + e.from + " += " + fmt(e.grad), showarrow: false,
                       yshift: 14, font: { size: 11, color: ORANGE }, bgcolor: "rgba(255,255,255,0.85)" });
          notes.push({ x: b.x, y: b.y, ax: a.x, ay: a.y, xref: "x", yref: "y", axref: "x", ayref: "y", text: "",
                       showarrow: true, arrowhead: 2, arrowwidth: 1.2, arrowcolor: GREY, standoff: 14, startstandoff: 14 });
        });
        plot(div, [
          { type: "scatter", mode: "lines", x: ex, y: ey, line: { color: GREY, width: 1 }, hoverinfo: "skip", showlegend: false },
          { type: "scatter", mode: "markers+text", x: f.nodes.map(function (n) { return n.x; }), y: f.nodes.map(function (n) { return n.y; }),
            text: f.nodes.map(function (n) { return n.name + (n.op ? " = " + n.op : "") + "<br>" + fmt(n.value); }),
            textposition: "bottom center", marker: { size: 22, color: "#dbeafe", line: { color: BLUE, width: 2 } },
            hovertext: f.nodes.map(function (n) { return "∂L/∂" + n.name + " = " + fmt(n.grad); }), hoverinfo: "text", showlegend: false },
        ], { annotations: notes, showlegend: false, height: 300,
             xaxis: { visible: false, range: [-0.5, f.nodes.length > 0 ? Math.max.apply(null, f.nodes.map(function (n) { return n.x; })) + 0.5 : 1] },
             yaxis: { visible: false, range: [-1.2, 1] } });
        table.textContent = "";
        var head = make("tr");
        ["node", "operation", "value", "∂L/∂node", "local derivative"].forEach(function (h) { head.appendChild(make("th", { scope: "col" }, h)); });
        table.appendChild(head);
        f.nodes.forEach(function (n) {
          var row = make("tr", { "data-node": n.name });
          [n.name, n.op || "input", fmt(n.value), fmt(n.grad), n.derivative || "—"].forEach(function (c) { row.appendChild(make("td", {}, c)); });
          table.appendChild(row);
        });
        st.textContent = "w = " + fmt(f.w) + ": L = " + fmt(f.value) + ", ∂L/∂w = " + fmt(at.w.grad) + ", ∂L/∂b = " + fmt(at.b.grad) + ".";
      };
    },
  };

  function build(fig, data) {
    var draw = DRAW[data.name];
    if (!draw) return;
    var update = draw(fig, data);
    var ctl = controls(fig, data.slider, function (i) { fig.setAttribute("data-frame", String(i)); update(i); });
    if (update.bind_show) update.bind_show(ctl.show);
    var caption = fig.querySelector("figcaption");
    fig.insertBefore(ctl.node, caption ? caption.nextSibling : fig.firstChild);
    ctl.show(ctl.start, null);
    fig.setAttribute("data-ready", "");
  }

  // A figure that could not be computed says why and offers to try again (a busy server may
  // have given up on it; a second try often finds it computed and cached).
  function failed(fig, message) {
    var p = make("p", { "class": "error", role: "alert" }, message + " ");
    var again = make("button", { type: "button", "class": "secondary" }, "Try again");
    again.addEventListener("click", function () {
      p.remove();
      fig.removeAttribute("data-ready");
      start();
    });
    p.appendChild(again);
    fig.appendChild(p);
    fig.setAttribute("data-ready", "failed");
  }

  function start() {
    document.querySelectorAll("[data-interactive]:not([data-ready])").forEach(function (fig) {
      var hint = fig.querySelector(".needs-js");
      if (!window.Plotly) return;
      if (hint) hint.remove();
      fetch(fig.getAttribute("data-interactive"), { headers: { Accept: "application/json" } })
        .then(function (r) { return r.json().then(function (body) { return { ok: r.ok, body: body }; }); })
        .then(function (res) {
          if (!res.ok) {
            failed(fig, "No figure: " + (res.body.error || "not available"));
            return;
          }
          build(fig, res.body);
        })
        .catch(function () { failed(fig, "The figure could not be loaded."); });
    });
  }

  document.addEventListener("DOMContentLoaded", start);
})();
