// Chart.js configurations for each kind of chart spec (see portal/services/chart_parts.py):
// "timeline" (stacked value axes over one time axis, courses as bands) and "bars"
// (labelled categories); chart-slope.js adds "slope". charts.js loads and draws them.
(function () {
  "use strict";

  var DAY_MS = 24 * 60 * 60 * 1000;
  var BAND_FILL = "rgba(29, 91, 143, 0.13)";
  var BAND_EDGE = "rgba(21, 69, 105, 0.55)";
  var RELAPSE_EDGE = "#a4161a";
  var INK = "#1b1f24";
  var AXIS_WIDTH = 88;
  var MUTED = "#4a5561";

  // The word for a value on an axis that has words (nearest whole value), else the number.
  function describe(axis, value, unit) {
    if (value === null || value === undefined) {
      return "–";
    }
    if (axis && axis.words) {
      var label = axis.words[String(Math.round(value))];
      if (label !== undefined) {
        return label;
      }
    }
    return String(Math.round(value * 100) / 100) + (unit ? " " + unit : "");
  }

  // A value axis: word ticks only at the values named in `ticks`, numbers otherwise.
  function valueScale(axis, extra) {
    var scale = {
      type: "linear",
      title: { display: true, text: axis.title, color: INK },
      grid: { color: "rgba(0, 0, 0, 0.08)" },
      ticks: { color: MUTED },
    };
    if (axis.min !== null && axis.min !== undefined) {
      scale.min = axis.min;
    }
    if (axis.max !== null && axis.max !== undefined) {
      scale.max = axis.max;
    }
    if (axis.ticks) {
      var values = Object.keys(axis.ticks).map(Number);
      scale.afterBuildTicks = function (built) {
        built.ticks = values.map(function (v) {
          return { value: v };
        });
      };
      scale.ticks.callback = function (value) {
        var label = axis.ticks[String(value)];
        return label === undefined ? "" : label;
      };
    }
    return Object.assign(scale, extra || {});
  }

  function axesById(spec) {
    var byId = {};
    (spec.axes || []).forEach(function (axis) {
      byId[axis.id] = axis;
    });
    return byId;
  }

  function timelineDataset(series) {
    var bar = series.type === "bar";
    return {
      type: bar ? "bar" : series.type === "scatter" ? "scatter" : "line",
      label: series.label,
      yAxisID: "y_" + series.axis,
      data: series.points.map(function (p) {
        return { x: p[0], y: p[1] };
      }),
      borderColor: series.color,
      backgroundColor: series.color,
      borderWidth: bar ? 0 : 2,
      pointRadius: series.type === "scatter" ? 2 : 2.5,
      pointHoverRadius: 5,
      // "after": a value holds until the next point (a dose); true: it applies up to it.
      stepped: series.stepped === "after" ? "after" : series.stepped ? "before" : false,
      // Daily diary lines break where a day or two is missing; clinic measures never do.
      spanGaps: series.span_gaps ? true : 2 * DAY_MS,
      barThickness: 4,
      details: series.details || null,
      unit: series.unit || "",
    };
  }

  // One box per value axis, so a course band runs through every stacked section;
  // only the top section carries the course's name.
  function bandAnnotations(bands, axisIds) {
    var notes = {};
    // Many courses on a phone: their names would overlap; the course table names them.
    var named = (bands || []).length <= 3 || window.innerWidth >= 700;
    (bands || []).forEach(function (band, index) {
      // A band covers its last day too, so it ends at the following midnight.
      var end = new Date(new Date(band.to).getTime() + DAY_MS).toISOString().slice(0, 10);
      axisIds.forEach(function (axisId, position) {
        notes["band" + index + "_" + axisId] = {
          type: "box",
          xMin: band.from,
          xMax: end,
          yScaleID: "y_" + axisId,
          backgroundColor: BAND_FILL,
          borderColor: band.relapse ? RELAPSE_EDGE : BAND_EDGE,
          borderWidth: band.relapse ? 2 : 1,
          borderDash: band.status === "planned" ? [4, 4] : [],
          label: {
            display: named && position === 0,
            // "Course 3 · relapse" on two lines, so it stays clear of the next band's name.
            content: band.label.split(" · "),
            position: { x: "start", y: "start" },
            color: band.relapse ? RELAPSE_EDGE : "#154569",
            font: { size: 11, weight: "bold" },
            padding: 2,
          },
        };
      });
    });
    return notes;
  }

  // A threshold (the clinic's fever temperature) as a dashed line across its axis' section.
  function lineAnnotations(lines, used) {
    var notes = {};
    (lines || []).forEach(function (line, index) {
      if (!used[line.axis]) {
        return;
      }
      notes["line" + index] = {
        type: "line",
        yScaleID: "y_" + line.axis,
        yMin: line.value,
        yMax: line.value,
        borderColor: "#a4161a",
        borderWidth: 2,
        borderDash: [6, 4],
        label: {
          display: true,
          content: line.label,
          position: "end",
          backgroundColor: "rgba(255, 255, 255, 0.85)",
          color: "#a4161a",
          font: { size: 11, weight: "bold" },
          padding: 2,
        },
      };
    });
    return notes;
  }

  function timelineTooltip(axes) {
    return {
      callbacks: {
        label: function (item) {
          var set = item.dataset;
          var axis = axes[set.yAxisID.slice(2)];
          var text = set.label + ": " + describe(axis, item.parsed.y, set.unit);
          if (set.details && set.details[item.dataIndex]) {
            text += " (" + set.details[item.dataIndex] + ")";
          }
          return text;
        },
      },
    };
  }

  function timeline(spec) {
    var axes = axesById(spec);
    var drawn = spec.series.filter(function (s) {
      return s.points.length > 0;
    });
    var used = {};
    drawn.forEach(function (s) {
      used[s.axis] = true;
    });
    var scales = {
      x: {
        type: "time",
        min: spec.from,
        max: new Date(new Date(spec.to).getTime() + DAY_MS).toISOString().slice(0, 10),
        time: { tooltipFormat: "EEE d MMM yyyy", minUnit: "day" },
        ticks: { maxRotation: 0, autoSkipPadding: 12, color: MUTED },
        grid: { color: "rgba(0, 0, 0, 0.08)" },
      },
    };
    var shown = (spec.axes || []).filter(function (axis) {
      return used[axis.id];
    });
    // Value axes stack top to bottom in the order given, sharing the time axis below.
    shown
      .slice()
      .reverse()
      .forEach(function (axis) {
        scales["y_" + axis.id] = valueScale(axis, {
          stack: "values",
          stackWeight: axis.weight || 1,
          offset: true,
          position: "left",
          // Stacked axes share one width so that their word ticks line up and are never cut.
          afterFit: function (scale) {
            scale.width = Math.max(scale.width, AXIS_WIDTH);
          },
        });
      });
    return {
      type: "line",
      data: { datasets: drawn.map(timelineDataset) },
      options: {
        scales: scales,
        plugins: {
          annotation: {
            annotations: Object.assign(
              bandAnnotations(
                spec.bands,
                shown.map(function (axis) {
                  return axis.id;
                })
              ),
              lineAnnotations(spec.lines, used)
            ),
          },
          tooltip: timelineTooltip(axes),
        },
      },
    };
  }

  // Categories along one axis, values along the other; "horizontal" puts the categories
  // down the side, where many long names (symptoms) stay readable on a phone.
  function bars(spec) {
    var across = spec.horizontal ? "y" : "x";
    var along = spec.horizontal ? "x" : "y";
    var scales = {};
    scales[across] = {
      type: "category",
      ticks: { color: INK, maxRotation: 0, autoSkip: false, font: { size: 11 } },
    };
    scales[along] = valueScale(spec.axis);
    return {
      type: "bar",
      data: {
        labels: spec.labels,
        datasets: spec.series.map(function (series) {
          return {
            type: "bar",
            label: series.label,
            data: series.values,
            backgroundColor: series.color,
            borderRadius: 6,
          };
        }),
      },
      options: {
        indexAxis: across,
        scales: scales,
        plugins: {
          // One series needs no legend; several (regimens) do, under the chart.
          legend: spec.legend
            ? { position: "bottom", labels: { boxWidth: 12, color: INK } }
            : { display: false },
          tooltip: {
            callbacks: {
              label: function (item) {
                var value = item.parsed[along];
                return item.dataset.label + ": " + describe(spec.axis, value, spec.unit);
              },
            },
          },
        },
      },
    };
  }

  // chart-slope.js adds the "slope" builder with the helpers shared here.
  window.PortalChartKinds = {
    builders: { timeline: timeline, bars: bars },
    describe: describe,
    valueScale: valueScale,
    ink: INK,
    muted: MUTED,
  };
})();
