/* Fleksi: a "select all" checkbox for lists with per-row checkboxes (the approval inbox).
 * Without JavaScript the box stays hidden and each row is ticked by hand. */
(function () {
  "use strict";
  var boxes = document.querySelectorAll("[data-check-all]");
  for (var i = 0; i < boxes.length; i++) {
    var all = boxes[i];
    var name = all.getAttribute("data-check-all");
    var form = all.form || document;
    all.hidden = false;
    all.addEventListener("change", function (event) {
      var rows = form.querySelectorAll('input[type="checkbox"][name="' + name + '"]');
      for (var j = 0; j < rows.length; j++) rows[j].checked = event.currentTarget.checked;
    });
  }
})();
