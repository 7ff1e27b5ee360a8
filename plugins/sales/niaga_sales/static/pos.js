/* The POS counter: cart, payment and receipt in the browser; sales go to
   /api/sales/pos/sales with an Idempotency-Key and a client_ref. A sale that cannot be
   sent (no connection) waits in localStorage and is sent again later: the server records
   a client_ref once, so a replay never counts twice. Typed amounts and quantities are
   read, and line totals computed, by the server's rules (numbers.js). The pay button locks
   on the first tap; a refusal (no stock, bad input) is shown as one, and only a network
   failure or a busy server keeps the sale for later. */
(function () {
  "use strict";
  var root = document.getElementById("pos");
  if (!root) return;
  var T = JSON.parse(root.dataset.texts);
  var QUEUE = "niaga.pos.queue";
  var DEVICE = "niaga.pos.device";
  var sessionId = root.dataset.session ? Number(root.dataset.session) : null;
  var N = window.NiagaNumbers;
  var LANG = root.dataset.lang || "id";
  var SEP = N.SEPARATORS[LANG] || N.SEPARATORS.id;
  var TAX = { rate: root.dataset.taxRate || "0", base: root.dataset.taxBase || "1",
              include: root.dataset.pricesIncludeTax === "1" };
  var cart = [];
  var paying = false;
  var $ = function (id) { return document.getElementById(id); };

  function device() {
    var id = localStorage.getItem(DEVICE);
    if (!id) {
      id = "pos-" + Math.random().toString(36).slice(2, 10);
      localStorage.setItem(DEVICE, id);
    }
    return id;
  }
  function newRef() {
    var rand = (window.crypto && crypto.randomUUID) ? crypto.randomUUID() : String(Math.random()).slice(2);
    return device() + "-" + Date.now() + "-" + rand.slice(0, 8);
  }
  function grouped(digits) { return digits.replace(/\B(?=(\d{3})+(?!\d))/g, SEP.group); }
  function rupiah(n) {
    var v = Math.round(Number(n) || 0);
    return "Rp " + (v < 0 ? "-" : "") + grouped(Math.abs(v).toString());
  }
  function quantityText(q) {
    var bits = String(q).split(".");
    return grouped(bits[0]) + (bits[1] ? SEP.decimal + bits[1] : "");
  }
  /* What the person typed, read like the server reads it: a decimal string, null when
     empty, or undefined (and a message) when it cannot be read without guessing. */
  function read(input, places) {
    var answer = N.parse(input.value, places, LANG);
    if (answer.error) {
      status(T[answer.error].replace("{value}", input.value).replace("{example}", T.example)
        .replace("{places}", places), true);
      input.setAttribute("aria-invalid", "true");
      input.focus();
      return undefined;
    }
    input.removeAttribute("aria-invalid");
    return answer.value;
  }
  function num(input) { var v = N.parse(input.value, 2, LANG).value; return v ? Number(v) : 0; }
  function amounts(l) {
    return N.lineAmounts({ quantity: l.quantity, unit_price: l.price, tax_rate: TAX.rate, tax_base: TAX.base }, TAX.include);
  }
  function status(text, bad) { var s = $("pos-status"); s.textContent = text; s.className = bad ? "flash error" : "flash"; }
  function queue() { try { return JSON.parse(localStorage.getItem(QUEUE) || "[]"); } catch (e) { return []; } }
  function saveQueue(items) { localStorage.setItem(QUEUE, JSON.stringify(items)); $("pos-queue-count").textContent = items.length; }

  function call(method, path, body, key) {
    var headers = { "Content-Type": "application/json", "Accept": "application/json", "X-CSRFToken": root.dataset.csrf };
    if (key) headers["Idempotency-Key"] = key;
    return fetch("/api/sales" + path, { method: method, headers: headers, credentials: "same-origin",
      body: body ? JSON.stringify(body) : undefined }).then(function (r) {
      return r.json().catch(function () { return {}; }).then(function (data) { return { status: r.status, data: data }; });
    });
  }
  function errorText(answer) { return (answer.data && answer.data.error && answer.data.error.message) || ("HTTP " + answer.status); }

  function total() { return cart.reduce(function (sum, l) { return sum + amounts(l).total; }, 0); }
  function lock(on) {
    paying = on;
    $("pos-pay").disabled = on;
    $("pos-pay").setAttribute("aria-busy", on ? "true" : "false");
  }
  function render() {
    var body = $("pos-cart").querySelector("tbody");
    body.innerHTML = "";
    cart.forEach(function (l, i) {
      var tr = document.createElement("tr");
      tr.innerHTML = "<td></td><td><input type='text' inputmode='decimal' size='5' aria-label='Qty'></td><td class='num'></td><td class='num'></td><td><button type='button' class='secondary' aria-label='Remove'>×</button></td>";
      tr.children[0].textContent = l.name;
      var qty = tr.querySelector("input");
      qty.value = quantityText(l.quantity);
      qty.addEventListener("change", function () {
        var typed = read(qty, 4);
        if (typed === undefined) return;
        if (!typed || Number(typed) <= 0) cart.splice(i, 1); else l.quantity = typed;
        render();
      });
      tr.children[2].textContent = rupiah(l.price);
      tr.children[3].textContent = rupiah(amounts(l).total);
      tr.querySelector("button").addEventListener("click", function () { cart.splice(i, 1); render(); });
      body.appendChild(tr);
    });
    $("pos-total").textContent = rupiah(total());
    change();
  }
  /* The chosen method: what to tell the customer, and cash fields only for cash. */
  function method() {
    var chosen = $("pos-method").selectedOptions[0];
    var hint = chosen ? chosen.dataset.hint : "";
    $("pos-method-hint").textContent = hint || "";
    $("pos-method-hint").hidden = !hint;
    var cash = $("pos-method").value === "cash";
    document.querySelectorAll("[data-cash-only]").forEach(function (e) { e.hidden = !cash; });
    change();
  }
  function methodLabel(value) {
    var option = Array.prototype.find.call($("pos-method").options, function (o) { return o.value === value; });
    return option ? option.textContent : value;
  }
  function change() {
    var given = num($("pos-received"));
    $("pos-change").textContent = rupiah($("pos-method").value === "cash" && given ? given - total() : 0);
  }
  function add(item) {
    var same = cart.find(function (l) { return item.product_id && l.product_id === item.product_id; });
    if (same) same.quantity = String(Number(same.quantity) + 1); else cart.push(Object.assign({ quantity: "1" }, item));
    render();
  }

  function search() {
    var q = $("pos-search").value.trim();
    var list = $("pos-results");
    list.innerHTML = "";
    if (!q) return;
    call("GET", "/products?limit=8&q=" + encodeURIComponent(q)).then(function (answer) {
      var found = answer.status === 200 ? answer.data : [];
      if (found.length === 1 || (found.length && (found[0].barcode === q || found[0].sku === q))) {
        pick(found[0]);
        return;
      }
      if (!found.length) { status(T.nothing, true); return; }
      found.forEach(function (p) {
        var li = document.createElement("li");
        var b = document.createElement("button");
        b.type = "button";
        b.textContent = p.name + " — " + rupiah(p.price);
        b.addEventListener("click", function () { pick(p); });
        li.appendChild(b);
        list.appendChild(li);
      });
    }).catch(function () { status(T.offline, true); });
  }
  function pick(p) {
    add({ product_id: p.id, name: p.name, price: String(p.price), unit: p.unit });
    $("pos-results").innerHTML = "";
    $("pos-search").value = "";
    $("pos-search").focus();
  }

  function saleBody() {
    return {
      client_ref: newRef(),
      session_id: sessionId,
      method: $("pos-method").value,
      received: $("pos-method").value === "cash" ? (N.parse($("pos-received").value, 2, LANG).value || String(total())) : null,
      sold_at: new Date().toISOString(),
      lines: cart.map(function (l) {
        var line = { quantity: String(l.quantity), unit_price: String(l.price) };
        if (l.product_id) { line.product_id = l.product_id; if (l.unit) line.unit = l.unit; }
        else line.description = l.name;
        return line;
      })
    };
  }
  function pay() {
    if (paying) return;
    if (!cart.length) { status(T.empty, true); return; }
    if ($("pos-method").value === "cash" && read($("pos-received"), 2) === undefined) return;
    if ($("pos-method").value === "cash" && $("pos-received").value && num($("pos-received")) < total()) {
      status(T.short, true); return;
    }
    lock(true);
    var body = saleBody();
    var items = queue();
    items.push({ key: body.client_ref, body: body, shown: cart.slice() });
    saveQueue(items);
    send(body.client_ref).then(function (result) {
      if (result === "sent" || result === "queued") { cart = []; $("pos-received").value = ""; render(); }
      lock(false);
    });
  }
  /* A refusal is final: the server will say the same next time (no stock, bad input).
     Worth another try later: no answer at all, a busy or failing server, a key in use. */
  function retryLater(answer) {
    var code = answer.data && answer.data.error && answer.data.error.code;
    return answer.status >= 500 || answer.status === 408 || answer.status === 429 ||
      code === "idempotency_key_in_use";
  }
  function send(key) {
    var entry = queue().find(function (e) { return e.key === key; });
    if (!entry) return Promise.resolve("gone");
    return call("POST", "/pos/sales", entry.body, entry.key).then(function (answer) {
      if (answer.status === 200 || answer.status === 201) {
        saveQueue(queue().filter(function (e) { return e.key !== key; }));
        status(T.sent + " " + answer.data.invoice.number);
        receipt(entry.body, entry.shown, answer.data);
        return "sent";
      }
      if (!retryLater(answer)) {
        saveQueue(queue().filter(function (e) { return e.key !== key; }));
        status(T.refused + " " + errorText(answer), true);
        $("pos-receipt").classList.remove("shown");
        return "refused";
      }
      status(T.busy, true);
      receipt(entry.body, entry.shown, null);
      return "queued";
    }).catch(function () { status(T.offline, true); receipt(entry.body, entry.shown, null); return "queued"; });
  }
  function flush() { queue().reduce(function (p, e) { return p.then(function () { return send(e.key); }); }, Promise.resolve()); }

  /* The receipt: the server's figures once it answered, the same rule's before. */
  function receipt(body, lines, sale) {
    var r = $("pos-receipt");
    var figures = lines.map(amounts);
    var add = function (field) { return figures.reduce(function (s, a) { return s + a[field]; }, 0); };
    var sum = sale ? Number(sale.invoice.total) : add("total");
    var tax = sale ? Number(sale.invoice.tax) : add("tax");
    var rows = lines.map(function (l, i) {
      return "<div>" + esc(l.name) + "</div><div class='r'><span>" + quantityText(l.quantity) + " x " + rupiah(l.price) + "</span><span>" + rupiah(figures[i].total) + "</span></div>";
    }).join("");
    var taxRows = tax ? "<div class='r'><span>" + T.net + "</span><span id='receipt-net'>" + rupiah(sum - tax) + "</span></div>" +
      "<div class='r'><span>" + T.tax + "</span><span id='receipt-tax'>" + rupiah(tax) + "</span></div>" : "";
    var paid = sale ? Number(sale.received) : Number(body.received) || sum;
    r.innerHTML = "<div><strong>" + esc(root.dataset.shop) + "</strong></div><div>" + esc(root.dataset.address) + "</div>" +
      "<div>" + (sale ? esc(sale.invoice.number) : esc(T.queued)) + " · " + new Date(body.sold_at).toLocaleString("id-ID") + "</div>" +
      "<div>" + esc(root.dataset.cashier) + "</div><hr>" + rows + "<hr>" + taxRows +
      "<div class='r'><strong>" + T.total + "</strong><strong id='receipt-total'>" + rupiah(sum) + "</strong></div>" +
      "<div class='r'><span>" + esc(methodLabel(body.method)) + "</span><span>" + rupiah(paid) + "</span></div>" +
      "<div class='r'><span>" + T.change + "</span><span id='receipt-change'>" + rupiah(sale ? Number(sale.change) : paid - sum) + "</span></div>" +
      "<hr><div>" + T.thanks + "</div>";
    r.classList.add("shown");
  }
  function esc(text) { var d = document.createElement("div"); d.textContent = text == null ? "" : String(text); return d.innerHTML; }

  $("pos-open").addEventListener("click", function () {
    var opening = read($("pos-open-cash"), 2);
    if (opening === undefined) return;
    var body = { opening_cash: opening || "0" };
    if ($("pos-open-warehouse")) body.warehouse_id = Number($("pos-open-warehouse").value);
    call("POST", "/pos/sessions", body).then(function (answer) {
      if (answer.status !== 201 && answer.status !== 200) { status(errorText(answer), true); return; }
      sessionId = answer.data.id;
      $("pos-opening").hidden = true;
      $("pos-counter").hidden = false;
      $("pos-search").focus();
    });
  });
  $("pos-close").addEventListener("click", function () {
    var counted = read($("pos-close-counted"), 2);
    if (counted === undefined) return;
    call("POST", "/pos/sessions/" + sessionId + "/close", { counted_cash: counted || "0" }).then(function (answer) {
      if (answer.status !== 200) { status(errorText(answer), true); return; }
      status(T.closed + " · " + T.difference + ": " + rupiah(answer.data.difference));
      $("pos-counter").hidden = true;
      $("pos-opening").hidden = false;
      sessionId = null;
    });
  });
  $("pos-search").addEventListener("keydown", function (e) { if (e.key === "Enter") { e.preventDefault(); search(); } });
  $("pos-quick-add").addEventListener("click", function () {
    var price = read($("pos-quick-price"), 2);
    var name = $("pos-quick-desc").value.trim();
    if (price === undefined || !name || !price) return;
    add({ product_id: null, name: name, price: price });
    $("pos-quick-desc").value = ""; $("pos-quick-price").value = "";
    $("pos-quick-desc").focus();
  });
  Array.prototype.forEach.call(document.querySelectorAll("[data-cash]"), function (b) {
    b.addEventListener("click", function () {
      var exact = b.dataset.cash === "exact";
      $("pos-received").value = exact ? quantityText(String(total())) : quantityText(b.dataset.cash);
      change();
      if (exact) pay();
    });
  });
  $("pos-received").addEventListener("input", change);
  $("pos-method").addEventListener("change", method);
  $("pos-received").addEventListener("keydown", function (e) { if (e.key === "Enter") { e.preventDefault(); pay(); } });
  $("pos-pay").addEventListener("click", pay);
  $("pos-print").addEventListener("click", function () { window.print(); });
  window.addEventListener("online", flush);
  setInterval(flush, 15000);
  method();
  saveQueue(queue());
  flush();
  if (sessionId) $("pos-search").focus();
})();
