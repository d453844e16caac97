// calcml's only script: typeset [data-tex] with KaTeX, draw [data-figure] with Plotly.
// No inline scripts and no code built from strings (the page's CSP forbids both); pages read without it.
"use strict";
(function () {
  function typeset(root) {
    if (!window.katex) return;
    root.querySelectorAll("[data-tex]:not([data-typeset])").forEach(function (el) {
      try {
        window.katex.render(el.getAttribute("data-tex"), el, {
          displayMode: el.classList.contains("display"),
          output: "htmlAndMathml",
          throwOnError: false,
          strict: "ignore",
        });
        el.setAttribute("data-typeset", "");
        if (el.scrollWidth > el.clientWidth + 1) {
          el.setAttribute("tabindex", "0");  // a wide formula scrolls: reachable by keyboard
        }
      } catch (e) {
        el.setAttribute("data-typeset", "failed");
      }
    });
  }

  function plain(label) {
    return String(label || "")
      .replace(/\$/g, "")
      .replace(/\\left|\\right/g, "")
      .replace(/\\(frac|sin|cos|tan|log|exp|tanh|sigma)/g, "$1")
      .replace(/[{}\\]/g, "");
  }

  var COLORS = ["#1f5fa8", "#c2410c", "#15803d", "#7c3aed", "#b91c1c", "#0e7490"];

  function lines(spec) {
    return (spec.series || []).map(function (s, i) {
      return {
        type: "scatter", mode: "lines", x: s.x, y: s.y, name: plain(s.label),
        line: { color: COLORS[i % COLORS.length], width: 2 }, connectgaps: false,
      };
    });
  }

  function markers(points, name, open) {
    return {
      type: "scatter", mode: "markers", name: name,
      x: points.map(function (p) { return p[0]; }), y: points.map(function (p) { return p[1]; }),
      marker: { size: 10, color: open ? "#ffffff" : "#111827", line: { color: "#111827", width: 2 } },
    };
  }

  function contour(grid, name) {
    return { type: "contour", x: grid.x, y: grid.y, z: grid.z, name: name,
             colorscale: "Viridis", showscale: false, ncontours: 16,
             contours: { coloring: "lines", showlabels: true }, line: { width: 1.5 } };
  }

  function arrows(a) {
    var x = [], y = [], big = 0;
    for (var i = 0; i < a.u.length; i++) big = Math.max(big, Math.hypot(a.u[i] || 0, a.v[i] || 0));
    var step = Math.abs((a.x[1] - a.x[0]) || 0.25) || 0.25;
    var scale = big > 0 ? (0.9 * step) / big : 0;
    for (var j = 0; j < a.x.length; j++) {
      if (a.u[j] === null || a.v[j] === null) continue;
      x.push(a.x[j], a.x[j] + a.u[j] * scale, null);
      y.push(a.y[j], a.y[j] + a.v[j] * scale, null);
    }
    return { type: "scatter", mode: "lines", x: x, y: y, name: "∇f", line: { color: "#c2410c", width: 1 } };
  }

  function caption(el, title, notes) {
    // the figure's title keeps its $…$ math: typeset it like the rest of the page
    el.textContent = "";
    String(title || "").split("$").forEach(function (part, i) {
      if (!part) return;
      if (i % 2) {
        var span = document.createElement("span");
        span.className = "math";
        span.setAttribute("data-tex", part);
        span.textContent = part;
        el.appendChild(span);
      } else {
        el.appendChild(document.createTextNode(part));
      }
    });
    if (notes && notes.length) el.appendChild(document.createTextNode(" — " + notes.join(" ")));
    typeset(el);
  }

  function webgl() {
    try {
      var c = document.createElement("canvas");
      return !!(window.WebGLRenderingContext && (c.getContext("webgl") || c.getContext("experimental-webgl")));
    } catch (e) {
      return false;
    }
  }

  function segments(pairs) {
    // [[xs, ys], ...] -> one trace's x and y with null between the pieces
    var x = [], y = [];
    pairs.forEach(function (p) { x = x.concat(p[0], [null]); y = y.concat(p[1], [null]); });
    return { x: x, y: y };
  }

  function chainNodes(spec, on) {
    var pick = (spec.nodes || []).filter(function (d) { return d.on_path === on; });
    return {
      type: "scatter", mode: "markers+text", textposition: "top center", hoverinfo: "text",
      name: on ? "depends on " + spec.wrt : "constant here",
      x: pick.map(function (d) { return d.x; }), y: pick.map(function (d) { return d.y; }),
      text: pick.map(function (d) { return d.text + " (" + d.shape + ")"; }),
      marker: { size: 14, symbol: "square", color: on ? "#1f5fa8" : "#9ca3af" },
    };
  }

  var DRAW = {
    with_derivative: function (spec) {
      var t = lines(spec);
      if (t[1]) { t[1].xaxis = "x2"; t[1].yaxis = "y2"; }
      return t;
    },
    limit: function (spec) {
      var t = lines(spec), m = spec.marks || {};
      if (m.holes && m.holes.length) t.push(markers(m.holes, "hole", true));
      if (m.dots && m.dots.length) t.push(markers(m.dots, "value", false));
      return t;
    },
    gradient_field: function (spec) {
      var t = [contour(spec.grid, "f")];
      if (spec.arrows) t.push(arrows(spec.arrows));
      return t;
    },
    curvature: function (spec) {
      var p = (spec.panels || [])[0];
      if (!p || !p.grid) return [];
      return [contour(p.grid, "f"), markers([p.point], p["class"] || "point", false)];
    },
    surface: function (spec) {
      if (webgl()) {
        spec.drawn = "surface";
        return [{ type: "surface", x: spec.grid.x, y: spec.grid.y, z: spec.grid.z,
                  colorscale: "Viridis", showscale: false, name: "f" }];
      }
      spec.drawn = "contour";
      spec.notes = ["This browser has no WebGL, so the 3-D surface is drawn as a contour plot " +
                    "(its level curves, seen from above)."].concat(spec.notes || []);
      return [contour(spec.grid, "f")];
    },
    jacobian_map: function (spec) {
      var ls = spec.lines || [];
      var image = segments(ls.map(function (l) { return l.image; }));
      var linear = segments(ls.map(function (l) { return l.linear; }));
      return [
        { type: "scatter", mode: "lines", x: image.x, y: image.y, name: "image under F",
          line: { color: COLORS[0], width: 1.5 }, connectgaps: false },
        { type: "scatter", mode: "lines", x: linear.x, y: linear.y, name: "under F(p) + J(p)(x − p)",
          line: { color: COLORS[1], width: 1.5, dash: "dash" }, connectgaps: false },
        markers([spec.value], "F(p)", false),
      ];
    },
    matrix_chain: function (spec) {
      var n = spec.nodes || [];
      var e = segments((spec.edges || []).map(function (p) {
        return [[n[p[0]].x, n[p[1]].x], [n[p[0]].y, n[p[1]].y]];
      }));
      return [
        { type: "scatter", mode: "lines", x: e.x, y: e.y, name: "is used by", hoverinfo: "skip",
          line: { color: "#9ca3af", width: 1.5 }, connectgaps: false },
        chainNodes(spec, true), chainNodes(spec, false),
      ];
    },
  };

  function layout(spec, el) {
    var l = { margin: { l: 40, r: 10, t: 10, b: 30 }, height: Math.min(420, Math.max(260, el.clientWidth * 0.7)),
              showlegend: true, legend: { orientation: "h" }, paper_bgcolor: "#ffffff", plot_bgcolor: "#ffffff" };
    var w = spec.window || (spec.windows && spec.windows[0]);
    if (w && w.x && w.y) { l.xaxis = { range: w.x }; l.yaxis = { range: w.y }; }
    if (spec.kind === "matrix_chain") {
      l.xaxis = { visible: false, range: [-0.7, Math.max.apply(null, (spec.nodes || []).map(function (d) { return d.x; }).concat([0])) + 0.7] };
      l.yaxis = { visible: false };
    }
    if (spec.drawn === "surface") l.scene = { xaxis: { title: { text: (spec.variables || [])[0] || "x" } },
                                              yaxis: { title: { text: (spec.variables || [])[1] || "y" } }, zaxis: { title: { text: "f" } } };
    if (spec.kind === "with_derivative" && spec.windows && spec.windows[1]) {
      l.grid = { rows: 2, columns: 1, pattern: "independent" };
      l.height = 2 * l.height;
      l.xaxis2 = { range: spec.windows[1].x };
      l.yaxis2 = { range: spec.windows[1].y };
    }
    return l;
  }

  function drawFigures(root) {
    root.querySelectorAll("[data-figure]:not([data-drawn])").forEach(function (el) {
      el.setAttribute("data-drawn", "");
      if (!window.Plotly) return;
      fetch(el.getAttribute("data-figure"), { headers: { Accept: "application/json" } })
        .then(function (r) { return r.json().then(function (body) { return { ok: r.ok, body: body }; }); })
        .then(function (res) {
          var cap = el.parentNode.querySelector("figcaption");
          if (!res.ok) {
            if (cap) cap.textContent = "No figure: " + (res.body.error || "not available");
            return;
          }
          var spec = res.body, traces = (DRAW[spec.kind] || lines)(spec);
          if (cap) caption(cap, spec.title, spec.notes);
          el.setAttribute("data-kind", spec.kind + (spec.drawn ? " " + spec.drawn : ""));
          window.Plotly.newPlot(el, traces, layout(spec, el), { displaylogo: false, responsive: true });
        })
        .catch(function () { /* the figure is optional; the result stands without it */ });
    });
  }

  function enhance(root) {
    typeset(root);
    drawFigures(root);
  }

  document.addEventListener("DOMContentLoaded", function () { enhance(document); });
  document.addEventListener("htmx:afterSettle", function (e) { enhance(e.target || document); });
})();
