// The "slope" chart kind: before/after pairs, one line a course (a patient's courses) or,
// for a cohort, grouped by improvement with the mean drawn over them. Needs chart-kinds.js.
(function () {
  "use strict";

  var kinds = window.PortalChartKinds;
  var INK = kinds.ink;
  var PAIR_COLOURS = ["#1d5b8f", "#a4161a", "#1e6b34", "#6b3fa0", "#8a4b00", "#4a5561"];

  function slopeTooltip(spec) {
    return {
      callbacks: {
        label: function (item) {
          var set = item.dataset;
          var name = set.names ? set.names[item.dataIndex] : set.label;
          return name + ": " + kinds.describe(spec.axis, item.parsed.y);
        },
      },
    };
  }

  // Many courses (the cohort): one dataset per group, each course a segment of it, broken
  // from the next by a gap, so thousands of courses stay two datasets and a short legend.
  function groupedSlopeDatasets(spec) {
    var groups = [
      { label: "Improved", colour: "#1d5b8f", dash: [], improved: true },
      { label: "Not improved", colour: "#a4161a", dash: [6, 4], improved: false },
    ];
    var datasets = groups
      .map(function (group) {
        var data = [];
        var names = [];
        spec.pairs.forEach(function (pair) {
          if (pair.improved === group.improved) {
            data.push({ x: "Before", y: pair.before }, { x: "After", y: pair.after });
            data.push({ x: "After", y: null });
            names.push(pair.label, pair.label, "");
          }
        });
        return {
          type: "line",
          label: group.label,
          data: data,
          names: names,
          borderColor: group.colour,
          backgroundColor: group.colour,
          borderDash: group.dash,
          borderWidth: 1.5,
          pointRadius: 3,
          spanGaps: false,
        };
      })
      .filter(function (set) {
        return set.data.length > 0; // aggregates only: no course of its own, no empty legend
      });
    if (spec.mean) {
      datasets.push({
        type: "line",
        label: spec.mean.label,
        data: [
          { x: "Before", y: spec.mean.before },
          { x: "After", y: spec.mean.after },
        ],
        borderColor: INK,
        backgroundColor: INK,
        borderWidth: 4,
        pointRadius: 5,
      });
    }
    return datasets;
  }

  function pairDatasets(spec) {
    return spec.pairs.map(function (pair, index) {
      var colour = PAIR_COLOURS[index % PAIR_COLOURS.length];
      return {
        type: "line",
        label: pair.label,
        data: [pair.before, pair.after],
        borderColor: colour,
        backgroundColor: colour,
        borderWidth: 2,
        pointRadius: 4,
      };
    });
  }

  function slope(spec) {
    return {
      type: "line",
      data: {
        labels: ["Before", "After"],
        datasets: spec.grouped ? groupedSlopeDatasets(spec) : pairDatasets(spec),
      },
      options: {
        scales: {
          x: { type: "category", offset: true, ticks: { color: INK } },
          y: kinds.valueScale(spec.axis),
        },
        plugins: { tooltip: slopeTooltip(spec) },
      },
    };
  }

  kinds.builders.slope = slope;
})();
