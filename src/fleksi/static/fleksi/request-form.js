/* Fleksi: the flexible-work request form. Without JavaScript every section is visible and
 * "Tambah baris" reloads the page with an extra row; with it, sections follow the choices
 * and rows are added in place. No dependencies. */
(function () {
  "use strict";
  var form = document.getElementById("request-form");
  if (!form) return;

  function valueOf(name) {
    var inputs = form.querySelectorAll('[name="' + name + '"]');
    for (var i = 0; i < inputs.length; i++) {
      var el = inputs[i];
      if (el.type === "radio" || el.type === "checkbox") {
        if (el.checked) return el.type === "checkbox" && el.value === "on" ? "on" : el.value;
      } else if (el.type !== "hidden" || inputs.length === 1) {
        return el.value;
      }
    }
    return "";
  }

  function sync() {
    var blocks = form.querySelectorAll("[data-show-if]");
    for (var i = 0; i < blocks.length; i++) {
      var rule = blocks[i].getAttribute("data-show-if").split(":");
      var wanted = rule[1].split(",");
      blocks[i].hidden = wanted.indexOf(valueOf(rule[0])) === -1;
    }
  }

  form.addEventListener("change", sync);
  sync();

  // The live check names a missing reason or work plan only once the person has been to
  // those fields: the fields visited travel with each check in the hidden "_touched" input.
  var touched = form.querySelector("[data-touched]");
  function touch(event) {
    var name = event.target && event.target.name;
    if (!touched || (name !== "reason" && name !== "work_plan")) return;
    var names = touched.value ? touched.value.split(",") : [];
    if (names.indexOf(name) === -1) {
      names.push(name);
      touched.value = names.join(",");
    }
  }
  form.addEventListener("focusout", touch);
  form.addEventListener("input", touch);

  // Planned outputs: clone the empty row of the formset.
  var addOutput = form.querySelector("[data-add-output]");
  var template = document.getElementById("output-row-template");
  if (addOutput && template) {
    addOutput.addEventListener("click", function (event) {
      event.preventDefault();
      var total = form.querySelector('[name$="-TOTAL_FORMS"]');
      var index = parseInt(total.value, 10);
      var html = template.innerHTML.replace(/__prefix__/g, String(index));
      var holder = document.createElement("div");
      holder.innerHTML = html;
      var row = holder.firstElementChild;
      form.querySelector("[data-output-rows]").appendChild(row);
      total.value = String(index + 1);
      var first = row.querySelector("input, textarea");
      if (first) first.focus();
    });
  }

  // Specific dates: one more <input type=date>.
  var addDates = form.querySelectorAll("[data-add-date]");
  for (var j = 0; j < addDates.length; j++) {
    addDates[j].hidden = false;
    addDates[j].addEventListener("click", function (event) {
      var name = event.currentTarget.getAttribute("data-add-date");
      var list = form.querySelector('[data-date-list][data-name="' + name + '"]');
      var count = list.querySelectorAll("input").length + 1;
      var input = document.createElement("input");
      input.type = "date";
      input.name = name;
      input.setAttribute("aria-label", (list.getAttribute("data-label") || "Tanggal") + " " + count);
      list.appendChild(input);
      input.focus();
    });
  }
})();
