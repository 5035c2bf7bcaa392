// The "scatter" chart kind: points on two value axes (weeks since the previous course
// against the change in mean myometry), one dataset a series, each with its own point
// shape so that colour is never the only difference. Needs chart-kinds.js.
(function () {
  "use strict";

  var kinds = window.PortalChartKinds;

  function dataset(series) {
    return {
      type: "scatter",
      label: series.label,
      data: series.points.map(function (p) {
        return { x: p[0], y: p[1], name: p[2] };
      }),
      borderColor: series.color,
      backgroundColor: series.color,
      pointStyle: series.shape || "circle",
      pointRadius: 5,
      pointHoverRadius: 7,
    };
  }

  function scatter(spec) {
    var annotations = {};
    if (spec.zero_line) {
      annotations.zero = {
        type: "line",
        yMin: 0,
        yMax: 0,
        borderColor: kinds.muted,
        borderWidth: 1,
        borderDash: [4, 4],
      };
    }
    return {
      type: "scatter",
      data: { datasets: spec.series.map(dataset) },
      options: {
        scales: {
          x: kinds.valueScale(spec.x_axis),
          y: kinds.valueScale(spec.axis),
        },
        plugins: {
          annotation: { annotations: annotations },
          tooltip: {
            callbacks: {
              label: function (item) {
                var point = item.raw;
                return (
                  (point.name ? point.name + ": " : "") +
                  kinds.describe(spec.x_axis, point.x, "weeks") +
                  ", " +
                  kinds.describe(spec.axis, point.y)
                );
              },
            },
          },
        },
      },
    };
  }

  kinds.builders.scatter = scatter;
})();
