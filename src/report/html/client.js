/*
 * report.html's charts: turns the chart specs embedded in the page (src/report/html/spec.ts) into
 * uPlot plots. Runs from disk with no network and no modules: plain ES2017 in one function.
 * window.svcsimCharts lists what was drawn (series and points per chart) for the browser test.
 */
(function () {
  "use strict";
  /* global uPlot */
  var specs = JSON.parse(document.getElementById("svcsim-charts").textContent);
  var drawn = [];
  window.svcsimCharts = drawn;
  var dpr = function () {
    return window.devicePixelRatio || 1;
  };

  function pct(v) {
    if (v === null || v === undefined || !isFinite(v)) return "–";
    var p = v * 100;
    var a = Math.abs(p);
    return (a >= 10 || p === 0 ? p.toFixed(0) : a >= 1 ? p.toFixed(1) : p.toPrecision(2)) + "%";
  }

  function fmt(v) {
    if (v === null || v === undefined || !isFinite(v)) return "–";
    var a = Math.abs(v);
    if (a >= 1000) return Math.round(v).toLocaleString("en-US");
    if (a >= 100 || Number.isInteger(v)) return v.toFixed(0);
    if (a >= 10) return v.toFixed(1);
    if (a >= 1) return v.toFixed(2);
    return v.toPrecision(3);
  }

  /* Tick labels with as many decimals as the step between ticks needs (0.995, 0.996 ... not 1.00, 1.00). */
  function ticks(splits, percent) {
    var scale = percent ? 100 : 1;
    var step = splits.length > 1 ? Math.abs(splits[1] - splits[0]) * scale : 1;
    var decimals = step > 0 ? Math.min(6, Math.max(0, Math.ceil(-Math.log10(step) - 1e-9))) : 0;
    return splits.map(function (v) {
      if (v === null || v === undefined || !isFinite(v)) return "";
      var text = (v * scale).toLocaleString("en-US", { minimumFractionDigits: decimals, maximumFractionDigits: decimals });
      return percent ? text + "%" : text;
    });
  }

  /* Axis width that fits its longest tick label (uPlot's own default is a fixed 50 px). */
  function axisSize(self, values, axisIdx, cycleNum) {
    var axis = self.axes[axisIdx];
    if (cycleNum > 1) return axis._size;
    var size = axis.ticks.size + axis.gap;
    var longest = (values || []).reduce(function (acc, v) {
      return String(v).length > acc.length ? String(v) : acc;
    }, "");
    if (longest !== "") {
      self.ctx.font = axis.font[0];
      size += self.ctx.measureText(longest).width / dpr();
    }
    return Math.ceil(size) + 22; /* room for the axis label */
  }

  /* The timeline's events: a dashed vertical line each, numbered as in the section's text. */
  function marksPlugin(marks) {
    return {
      hooks: {
        draw: function (u) {
          if (!marks.length) return;
          var ctx = u.ctx;
          var r = dpr();
          var top = u.bbox.top;
          ctx.save();
          ctx.font = 11 * r + "px system-ui, sans-serif";
          ctx.textAlign = "left";
          ctx.textBaseline = "alphabetic";
          marks.forEach(function (m, i) {
            var x = Math.round(u.valToPos(m.x, "x", true)) + 0.5;
            if (x < u.bbox.left || x > u.bbox.left + u.bbox.width) return;
            ctx.strokeStyle = "#3d3d3d";
            ctx.lineWidth = r;
            ctx.setLineDash([4 * r, 3 * r]);
            ctx.beginPath();
            ctx.moveTo(x, top);
            ctx.lineTo(x, top + u.bbox.height);
            ctx.stroke();
            var text = String(i + 1);
            var w = ctx.measureText(text).width + 6 * r;
            var y = top + 2 * r + (i % 3) * 14 * r;
            ctx.setLineDash([]);
            ctx.fillStyle = "rgba(255,255,255,0.9)";
            ctx.fillRect(x + 2 * r, y, w, 13 * r);
            ctx.strokeRect(x + 2 * r, y, w, 13 * r);
            ctx.fillStyle = "#1b1f24";
            ctx.fillText(text, x + 5 * r, y + 10.5 * r);
          });
          ctx.restore();
        },
      },
    };
  }

  /* Horizontal reference lines (the mean load of the bar charts). */
  function rulesPlugin(rules) {
    return {
      hooks: {
        draw: function (u) {
          var ctx = u.ctx;
          var r = dpr();
          ctx.save();
          ctx.font = 11 * r + "px system-ui, sans-serif";
          ctx.textAlign = "left";
          ctx.textBaseline = "alphabetic";
          rules.forEach(function (rule) {
            var y = Math.round(u.valToPos(rule.y, "y", true)) + 0.5;
            ctx.strokeStyle = "#1b1f24";
            ctx.lineWidth = r;
            ctx.setLineDash([6 * r, 4 * r]);
            ctx.beginPath();
            ctx.moveTo(u.bbox.left, y);
            ctx.lineTo(u.bbox.left + u.bbox.width, y);
            ctx.stroke();
            var text = rule.label + " " + fmt(rule.y);
            var w = ctx.measureText(text).width + 8 * r;
            var x = u.bbox.left + u.bbox.width - w - 2 * r;
            ctx.setLineDash([]);
            ctx.fillStyle = "rgba(255,255,255,0.92)";
            ctx.fillRect(x, y - 16 * r, w, 14 * r);
            ctx.fillStyle = "#1b1f24";
            ctx.fillText(text, x + 4 * r, y - 5 * r);
          });
          ctx.restore();
        },
      },
    };
  }

  function yRange(spec) {
    return function (u, min, max) {
      var lo = spec.y.min !== undefined ? spec.y.min : min;
      var hi = spec.y.max !== undefined ? spec.y.max : max;
      if (hi === null || lo === null || !isFinite(hi) || !isFinite(lo)) return [0, 1];
      if (hi <= lo) hi = lo + 1;
      return [lo, spec.y.max !== undefined ? hi : hi + (hi - lo) * 0.06];
    };
  }

  /* A sweep's x range: its values with a little room, so the first and last markers are not cut. */
  function padded(values, log) {
    var lo = Math.min.apply(null, values);
    var hi = Math.max.apply(null, values);
    if (log) return [lo / 1.2, hi * 1.2];
    var pad = (hi - lo || Math.abs(hi) || 1) * 0.04;
    return [lo - pad, hi + pad];
  }

  function options(spec, width) {
    var hasPoints = spec.series.some(function (s) {
      return s.points;
    });
    var bars = spec.kind === "bars";
    var categories = spec.x.categories;
    var series = [
      {
        label: spec.x.label,
        value: function (u, v) {
          if (v === null || v === undefined) return "";
          return categories ? categories[v] : fmt(v);
        },
      },
    ];
    var bands = [];
    var hidden = [];
    spec.series.forEach(function (s, i) {
      var opt = {
        label: s.label,
        stroke: s.color,
        width: bars ? 1 : s.dash ? 1.25 : 1.75,
        dash: s.dash,
        scale: s.axis === 2 ? "y2" : "y",
        points: s.points ? { show: true, size: 6, fill: s.color } : { show: false },
        spanGaps: !!s.points,
        value: function (u, v, si, idx) {
          if (idx === null || idx === undefined) return "";
          var shown = s.legendValues ? s.legendValues[idx] : v;
          return spec.y.percent ? pct(shown) : fmt(shown);
        },
      };
      if (bars) {
        opt.paths = uPlot.paths.bars({ size: [0.7, 80], align: 0 });
        opt.fill = s.color;
      } else if (s.step) {
        opt.paths = uPlot.paths.stepped({ align: 1 });
      }
      if (s.fill) {
        var prev = spec.series[i - 1];
        if (prev && prev.fill) bands.push({ series: [i + 1, i], fill: s.color + "99" });
        else opt.fill = s.color + "99";
      }
      series.push(opt);
    });
    spec.bands.forEach(function (b) {
      var lower = series.length;
      var edge = { label: b.label, stroke: "transparent", width: 0, points: { show: false }, scale: "y", spanGaps: false };
      if (b.step) edge.paths = uPlot.paths.stepped({ align: 1 });
      series.push(Object.assign({}, edge, { label: b.label + " (low)" }));
      series.push(Object.assign({}, edge, { label: b.label + " (high)" }));
      hidden.push(lower, lower + 1);
      bands.push({ series: [lower + 1, lower], fill: b.color });
    });
    var xAxis = {
      label: spec.x.label,
      labelSize: 18,
      size: 44,
      stroke: "#1b1f24",
      grid: { stroke: "#e6e8eb", width: 1 },
      ticks: { stroke: "#c8ccd0" },
    };
    if (categories) {
      var longestChars = categories.reduce(function (m, c) {
        return Math.max(m, c.length);
      }, 0);
      /* Slant the names when they would not fit side by side (about 7 px a character). */
      var many = (longestChars * 7 + 12) * categories.length > width - 90;
      var step = Math.max(1, Math.ceil(categories.length / 40));
      xAxis.splits = function () {
        return categories.map(function (_, i) {
          return i;
        }).filter(function (i) {
          return i % step === 0;
        });
      };
      xAxis.values = function (u, splits) {
        return splits.map(function (i) {
          return categories[i] !== undefined ? categories[i] : "";
        });
      };
      xAxis.grid = { show: false };
      if (many) {
        xAxis.rotate = -60;
        xAxis.size = function (u) {
          u.ctx.font = u.axes[0].font[0];
          var longest = categories.reduce(function (m, c) {
            return Math.max(m, u.ctx.measureText(c).width / dpr());
          }, 0);
          return Math.ceil(longest * 0.9) + 34;
        };
      }
    }
    var yAxis = {
      label: spec.y.label,
      labelSize: 18,
      size: axisSize,
      stroke: "#1b1f24",
      grid: { stroke: "#e6e8eb", width: 1 },
      ticks: { stroke: "#c8ccd0" },
      values: function (u, splits) {
        return ticks(splits, spec.y.percent);
      },
    };
    if (spec.y.integer) yAxis.incrs = [1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 2500, 5000, 10000, 20000, 25000, 50000, 100000, 200000, 500000, 1000000];
    var axes = [xAxis, yAxis];
    var scales = {
      x: categories
        ? { time: false, range: [-0.5, categories.length - 0.5] }
        : spec.x.log
          ? { time: false, distr: 3, range: padded(spec.x.values, true) }
          : hasPoints
            ? { time: false, range: padded(spec.x.values, false) }
            : { time: false },
      y: spec.y.log ? { distr: 3 } : { range: yRange(spec) },
    };
    if (spec.y2) {
      scales.y2 = { range: function (u, min, max) { return [0, Math.max(1, max * 1.06)]; } };
      axes.push({ scale: "y2", side: 1, label: spec.y2.label, labelSize: 18, size: axisSize, grid: { show: false }, stroke: "#1b1f24" });
    }
    var plugins = [marksPlugin(spec.marks || [])];
    if (spec.rules && spec.rules.length) plugins.push(rulesPlugin(spec.rules));
    return {
      opts: {
        width: width,
        height: spec.wide ? 300 : 240,
        series: series,
        bands: bands,
        axes: axes,
        scales: scales,
        plugins: plugins,
        legend: { live: true },
        cursor: categories ? { drag: { x: false, y: false } } : { drag: { x: true, y: false }, sync: { key: "svcsim-time" } },
      },
      hidden: hidden,
    };
  }

  function dataOf(spec) {
    var data = [spec.x.values];
    spec.series.forEach(function (s) {
      data.push(s.values);
    });
    spec.bands.forEach(function (b) {
      data.push(b.lower, b.upper);
    });
    return data;
  }

  var plots = [];
  function widthOf(el) {
    return Math.max(280, Math.floor(el.getBoundingClientRect().width));
  }

  function draw(spec) {
    var el = document.getElementById("plot-" + spec.id);
    if (!el) {
      console.error("svcsim report: no element for chart " + spec.id);
      return;
    }
    try {
      var built = options(spec, widthOf(el));
      var u = new uPlot(built.opts, dataOf(spec), el);
      if (spec.x.focus) u.setScale("x", { min: spec.x.focus[0], max: spec.x.focus[1] });
      var rows = u.root.querySelectorAll(".u-legend .u-series");
      built.hidden.forEach(function (i) {
        if (rows[i]) rows[i].style.display = "none";
      });
      plots.push({ u: u, el: el, height: built.opts.height });
      drawn.push({ id: spec.id, series: u.series.length - 1, points: u.data[0].length });
    } catch (err) {
      el.textContent = "This chart could not be drawn: " + err.message;
      console.error("svcsim report: chart " + spec.id + ": " + err.message);
    }
  }

  /* A sweep's charts over time are drawn for the point chosen (uPlot needs a visible, sized box). */
  var select = document.getElementById("svcsim-point");
  var shown = select ? select.value : null;
  var done = {};
  function drawGroup(group) {
    specs.forEach(function (spec) {
      if ((spec.group || null) === group && !done[spec.id]) {
        done[spec.id] = true;
        draw(spec);
      }
    });
  }
  drawGroup(null);
  if (shown) drawGroup(shown);
  if (select) {
    select.addEventListener("change", function () {
      document.querySelectorAll("section[data-group]").forEach(function (s) {
        s.hidden = s.getAttribute("data-group") !== select.value;
      });
      drawGroup(select.value);
    });
  }

  function resize(width) {
    plots.forEach(function (p) {
      p.u.setSize({ width: width || widthOf(p.el), height: p.height });
    });
  }
  var pending = null;
  window.addEventListener("resize", function () {
    clearTimeout(pending);
    pending = setTimeout(function () {
      resize();
    }, 100);
  });
  /* Print at the page's printable width (about 180 mm), then back to the screen's. */
  window.addEventListener("beforeprint", function () {
    resize(680);
  });
  window.addEventListener("afterprint", function () {
    resize();
  });
  window.svcsimReady = true;
})();
