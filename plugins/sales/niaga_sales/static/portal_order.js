/* The retailer's order form: a running total (before PPN, PPN, total) as quantities and
   units are chosen, by the server's line rule (NiagaNumbers.lineAmounts) and the unit
   prices and quantity breaks the page was given, so what it shows is what the order will
   say before any voucher is taken off. */
(function () {
  "use strict";
  var form = document.getElementById("portal-order");
  if (!form || !window.NiagaNumbers) return;
  var N = window.NiagaNumbers;
  var lang = form.dataset.lang || "id";
  var tax = { rate: form.dataset.taxRate || "0", base: form.dataset.taxBase || "1" };
  var include = form.dataset.pricesIncludeTax === "1";
  var rupiah = function (n) { return "Rp " + Math.round(n).toLocaleString("id-ID"); };
  if (lang === "en") rupiah = function (n) { return "Rp " + Math.round(n).toLocaleString("en-US"); };

  function refresh() {
    var net = 0, taxSum = 0, total = 0;
    form.querySelectorAll("[data-line]").forEach(function (row) {
      var qty = row.querySelector("input[name^=qty_]");
      var unit = row.querySelector("select[name^=unit_]");
      var read = N.parse(qty.value, 4, lang);
      qty.setAttribute("aria-invalid", read.error ? "true" : "false");
      if (read.error || !read.value || Number(read.value) <= 0) return;
      var price = unit.options[unit.selectedIndex].dataset.price;
      var best = null;  // the highest quantity break reached, as the server prices a line
      JSON.parse(unit.dataset.breaks || "[]").forEach(function (b) {
        if (b.unit === unit.value && Number(b.min_quantity) <= Number(read.value) &&
            (!best || Number(b.min_quantity) > Number(best.min_quantity))) best = b;
      });
      if (best) price = best.price;
      var amounts = N.lineAmounts({ quantity: read.value, unit_price: price,
                                    tax_rate: tax.rate, tax_base: tax.base }, include);
      net += amounts.net; taxSum += amounts.tax; total += amounts.total;
    });
    document.getElementById("order-net").textContent = rupiah(net);
    var taxShown = document.getElementById("order-tax");
    if (taxShown) taxShown.textContent = rupiah(taxSum);
    document.getElementById("order-sum").textContent = rupiah(total);
  }
  form.addEventListener("input", refresh);
  form.addEventListener("change", refresh);
  refresh();
})();
