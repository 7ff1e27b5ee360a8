/* The retailer's order form: a running total (before PPN, PPN, total) as quantities and
   units are chosen. At once by the server's line rule (NiagaNumbers.lineAmounts) and the
   unit prices and quantity breaks the page was given; then, a moment later, as the server
   prices the order (GET data-quote-url: the same lines with the voucher, and any other
   order-level adjustment, taken off by the code that prices a placed order), so the total
   shown is the total the order will have. A voucher the server refuses is named next to
   the field; without a network the first figures stay. */
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
    show(rupiah(net), rupiah(taxSum), rupiah(total), []);
    return net > 0;
  }

  function show(net, taxText, total, adjustments) {
    document.getElementById("order-net").textContent = net;
    var taxShown = document.getElementById("order-tax");
    if (taxShown) taxShown.textContent = taxText;
    document.getElementById("order-sum").textContent = total;
    var list = document.getElementById("order-adjustments");
    if (!list) return;
    list.textContent = "";
    adjustments.forEach(function (a) {
      var row = document.createElement("p");
      row.className = "order-adjustment";
      var amount = document.createElement("strong");
      amount.textContent = a.text;
      row.appendChild(document.createTextNode(a.label + ": "));
      row.appendChild(amount);
      list.appendChild(row);
    });
    list.hidden = adjustments.length === 0;
  }

  var quoteUrl = form.dataset.quoteUrl, voucherError = document.getElementById("voucher-error");
  var voucher = document.getElementById("voucher_code");
  var asked = 0, timer = null;
  function voucherSays(text) {
    if (!voucherError) return;
    voucherError.textContent = text || "";
    voucherError.hidden = !text;
    if (voucher) voucher.setAttribute("aria-invalid", text ? "true" : "false");
  }
  function askServer() {
    var params = new URLSearchParams();
    new FormData(form).forEach(function (value, key) {
      if (key !== "csrf_token" && key !== "notes" && String(value).trim() !== "") params.append(key, value);
    });
    var mine = ++asked;
    form.dataset.quoting = "1";
    fetch(quoteUrl + "?" + params.toString(), { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (answer) { return answer.json().then(function (body) { return { ok: answer.ok, body: body }; }); })
      .then(function (result) {
        if (mine !== asked) return;  // an answer to an older question
        var body = result.body;
        // 422: the order as typed is refused (a voucher that is not hers): say why; any
        // other failure (a busy server, a lost login) keeps the figures computed here
        if (!result.ok) { if (typeof body.error === "string") voucherSays(body.error); return; }
        voucherSays("");
        show(body.subtotal.text, body.tax.text, body.total.text, body.adjustments);
      })
      .catch(function () { /* offline: the figures computed here stay */ })
      .then(function () { if (mine === asked) form.dataset.quoting = "0"; });
  }
  function changed() {
    var anything = refresh();
    if (timer) clearTimeout(timer);
    if (!quoteUrl) return;
    if (!anything) { asked++; voucherSays(""); form.dataset.quoting = "0"; return; }
    form.dataset.quoting = "1";
    timer = setTimeout(askServer, 300);
  }
  form.addEventListener("input", changed);
  form.addEventListener("change", changed);
  changed();
})();
