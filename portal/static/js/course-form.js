// Shows the daily mg/kg while the clinician types the days and total dose,
// with the same arithmetic as the server (rounded to one decimal place).
(function () {
  "use strict";
  var out = document.getElementById("daily-dose");
  var days = document.getElementById("days");
  var dose = document.getElementById("total_dose_g_per_kg");
  if (!out || !days || !dose) {
    return;
  }
  var weight = parseFloat(out.getAttribute("data-weight-kg"));

  function trim(value) {
    return value.toFixed(1).replace(/\.0$/, "");
  }

  function update() {
    var d = parseInt(days.value, 10);
    var g = parseFloat(dose.value);
    if (!(d >= 1 && d <= 5 && String(d) === days.value.trim() && g >= 0.1 && g <= 3)) {
      out.textContent = "";
      return;
    }
    var daily = Math.round((g * 1000) / d * 10) / 10;
    var text = "Daily dose: " + trim(daily) + " mg/kg/day";
    if (weight > 0) {
      text += " (about " + trim(daily * weight / 1000) + " g a day at " + trim(weight) + " kg)";
    }
    out.textContent = text + ".";
  }

  days.addEventListener("input", update);
  dose.addEventListener("input", update);
})();
