/* Small behaviours every page shares, bound here instead of inline handlers so that the
   Content-Security-Policy can forbid inline script:
   data-autosubmit  a select that submits its form when changed
   data-print       a button that prints the page
   data-select      an input whose text is selected when focused (a token to copy) */
"use strict";
document.addEventListener("change", function (event) {
  var field = event.target;
  if (field.matches("[data-autosubmit]") && field.form) { field.form.submit(); }
});
document.addEventListener("click", function (event) {
  if (event.target.closest("[data-print]")) { event.preventDefault(); window.print(); }
});
document.addEventListener("focusin", function (event) {
  if (event.target.matches("[data-select]")) { event.target.select(); }
});
