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

/* data-product-picker  a line's product box: typing a name or SKU lists matching products
   (the attribute holds the search URL, the typed text is appended); choosing one fills the
   row's hidden product id ([data-product-id]) and its unit choices ([data-unit-picker]),
   with the unit named by the product field in data-unit-default chosen first. */
(function () {
  var lang = document.documentElement.lang || undefined;
  function row(box) { return box.closest("[data-line]") || box.parentElement; }
  function results(box) { return row(box).querySelector("[data-picker-results]"); }
  function choose(box, product) {
    var line = row(box);
    var base = product.unit || product.base_unit;
    var select = line.querySelector("[data-unit-picker]");
    line.querySelector("[data-product-id]").value = product.id;
    box.value = product.name;
    results(box).innerHTML = "";
    if (!select) return;
    select.innerHTML = "";
    var units = [[base, 1]];
    Object.keys(product.units || {}).forEach(function (name) {
      if (name !== base) units.push([name, Number(product.units[name])]);
    });
    units.forEach(function (unit) {
      var option = document.createElement("option");
      option.value = unit[0];
      option.textContent = unit[1] === 1 ? unit[0] :
        unit[0] + " (" + unit[1].toLocaleString(lang) + " " + base + ")";
      select.appendChild(option);
    });
    var preferred = product[box.dataset.unitDefault];
    if (preferred && units.some(function (u) { return u[0] === preferred; })) select.value = preferred;
  }
  document.addEventListener("input", function (event) {
    var box = event.target;
    if (!box.matches("[data-product-picker]")) return;
    var list = results(box), text = box.value.trim();
    var ticket = (box.pickerTicket || 0) + 1;
    box.pickerTicket = ticket;
    row(box).querySelector("[data-product-id]").value = "";
    if (!text) { list.innerHTML = ""; return; }
    fetch(box.dataset.productPicker + encodeURIComponent(text),
          { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (answer) { return answer.ok ? answer.json() : []; })
      .then(function (found) {
        if (box.pickerTicket !== ticket) return;  // an older answer than the text typed
        list.innerHTML = "";
        found.forEach(function (product) {
          var item = document.createElement("li"), button = document.createElement("button");
          button.type = "button";
          button.className = "secondary";
          button.textContent = product.name + " · " + product.sku;
          button.addEventListener("click", function () { choose(box, product); box.focus(); });
          item.appendChild(button);
          list.appendChild(item);
        });
      })
      .catch(function () { list.innerHTML = ""; });
  });
})();
