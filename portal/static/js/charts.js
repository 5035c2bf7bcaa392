// Draws the portal's charts from JSON specs (see portal/services/chart_parts.py).
// A canvas names its data with data-chart-src (a URL) and data-chart-key (which chart of
// that answer). The page already holds a caption, a summary and a data table, so a chart
// that cannot be drawn leaves the page complete: its canvas simply stays hidden.
(function () {
  "use strict";

  var Chart = window.Chart;
  var kinds = window.PortalChartKinds;
  var requests = {};

  function reducedMotion() {
    return window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;
  }

  function load(src) {
    if (!requests[src]) {
      requests[src] = fetch(src, {
        credentials: "same-origin",
        headers: { Accept: "application/json" },
      }).then(function (response) {
        if (!response.ok) {
          throw new Error("chart data answered " + response.status);
        }
        return response.json();
      });
    }
    return requests[src];
  }

  function configure(spec) {
    var built = kinds.builders[spec.kind](spec);
    var options = built.options;
    options.responsive = true;
    options.maintainAspectRatio = false;
    options.animation = reducedMotion() ? false : { duration: 300 };
    options.interaction = { mode: "nearest", intersect: false };
    options.plugins.legend = options.plugins.legend || {
      position: "bottom",
      labels: { boxWidth: 12, color: kinds.ink },
    };
    options.plugins.title = { display: false, text: spec.title };
    return { type: built.type, data: built.data, options: options };
  }

  function hasData(spec) {
    if (spec.kind === "timeline") {
      return spec.series.some(function (s) {
        return s.points.length > 0;
      });
    }
    if (spec.kind === "slope") {
      return spec.pairs.length > 0 || Boolean(spec.mean);
    }
    if (spec.kind === "scatter") {
      return spec.series.some(function (s) {
        return s.points.length > 0;
      });
    }
    return spec.series.some(function (s) {
      return s.values.some(function (v) {
        return v !== null;
      });
    });
  }

  function draw(canvas) {
    var wrap = canvas.closest("[data-chart-wrap]") || canvas.parentElement;
    load(canvas.getAttribute("data-chart-src"))
      .then(function (answer) {
        var spec = answer.charts[canvas.getAttribute("data-chart-key")];
        if (!spec || !hasData(spec)) {
          return; // nothing to draw: the summary already says so
        }
        wrap.hidden = false;
        var config = configure(spec);
        canvas.chart = new Chart(canvas, config);
        canvas.setAttribute("data-chart-drawn", "true");
      })
      .catch(function (error) {
        wrap.hidden = true;
        if (window.console) {
          window.console.warn("Chart not drawn; the table below has the same data.", error);
        }
      });
  }

  function start() {
    if (!Chart || !kinds) {
      return;
    }
    Chart.defaults.font.family =
      'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif';
    Chart.defaults.color = kinds.muted;
    document.querySelectorAll("canvas[data-chart-src]").forEach(draw);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
