// Adds up the 20 motor ability functions as they are scored, so the total shows before saving.
(function () {
  "use strict";
  var box = document.querySelector("[data-motor-items]");
  if (!box) {
    return;
  }
  var output = box.querySelector("[data-motor-total]");
  var selects = box.querySelectorAll("select");

  function update() {
    var total = 0;
    var scored = 0;
    selects.forEach(function (select) {
      if (select.value !== "") {
        total += parseInt(select.value, 10);
        scored += 1;
      }
    });
    output.textContent = scored === 0 ? "–" : total + (scored < selects.length ? " (" + scored + " of " + selects.length + " scored)" : "");
  }

  box.addEventListener("change", update);
  update();
})();
