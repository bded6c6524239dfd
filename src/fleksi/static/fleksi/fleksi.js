/* Fleksi: the small behaviours every page may use, bound by data- attributes so that the
 * templates carry no inline script or handler (the Content-Security-Policy allows scripts
 * from this site only, no inline code).
 *   data-autosubmit     on a <select>: submit its form when the choice changes
 *   data-select-on-focus on an <input>: select its whole text when it gets the focus
 *   data-once-submit    on a <form>: a second click while the first submit is under way
 *                       does nothing (the server refuses a second use of the form's token too)
 */
(function () {
  "use strict";
  function each(selector, fn) {
    var nodes = document.querySelectorAll(selector);
    for (var i = 0; i < nodes.length; i++) fn(nodes[i]);
  }
  function bind() {
    each("select[data-autosubmit]", function (el) {
      el.addEventListener("change", function () {
        if (el.form) el.form.submit();
      });
    });
    each("input[data-select-on-focus]", function (el) {
      el.addEventListener("focus", function () { el.select(); });
    });
    each("form[method=post], form[method=POST]", function (form) {
      form.addEventListener("submit", function (event) {
        if (form.getAttribute("data-submitting") === "1") {
          event.preventDefault();
          return;
        }
        form.setAttribute("data-submitting", "1");
        // Let the user try again if the page is still here after a while (e.g. no network).
        window.setTimeout(function () { form.removeAttribute("data-submitting"); }, 8000);
      });
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", bind);
  else bind();
})();
