/* Typed numbers and line amounts in the browser, by the same rules as the server
   (niaga.l10n.parse_number and niaga.money.line_amounts), so the counter shows what the
   server will store.

   Reading: in Indonesian "." groups thousands and "," marks decimals ("1.250.000,50",
   "12,5", "1250000"); English the other way round. Groups must be whole ("12.5" in
   Indonesian could be 125 or 12,5: refused), exponents and other text are refused, and so
   are more decimals than the field keeps. Values are kept as decimal strings and amounts
   computed with BigInt, so nothing is lost to floating point.

   Works as a browser global (window.NiagaNumbers) and as a CommonJS module (tests). */
(function (root) {
  "use strict";

  var SEPARATORS = { id: { group: ".", decimal: "," }, en: { group: ",", decimal: "." } };

  function escape(ch) { return ch.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"); }

  /* Read `text` typed in `lang` ("id" or "en"). Returns {value: "1250000.5"} (a plain
     decimal string, or null for empty input) or {error: "not_a_number" | "ambiguous" |
     "too_many_decimals" | "not_whole"}. */
  function parse(text, places, lang) {
    var sep = SEPARATORS[lang] || SEPARATORS.id;
    var cleaned = String(text == null ? "" : text).trim().replace(/^(?:rp|idr)\.?/i, "").trim();
    cleaned = cleaned.replace(/[\s\u00a0\u202f]+/g, "").replace(/%+$/, "");
    if (!cleaned) return { value: null };
    if (!/^[+-]?[0-9.,]+$/.test(cleaned)) return { error: "not_a_number" };
    var sign = "";
    if (cleaned[0] === "+" || cleaned[0] === "-") { sign = cleaned[0] === "-" ? "-" : ""; cleaned = cleaned.slice(1); }
    var parts = cleaned.split(sep.decimal);
    if (parts.length > 2) return { error: "ambiguous" };
    var whole = parts[0];
    var fraction = parts.length === 2 ? parts[1] : "";
    if (parts.length === 2 && !/^[0-9]+$/.test(fraction)) return { error: "ambiguous" };
    if (whole.indexOf(sep.group) >= 0) {
      var grouped = new RegExp("^[1-9][0-9]{0,2}(?:" + escape(sep.group) + "[0-9]{3})+$");
      if (!grouped.test(whole)) return { error: "ambiguous" };
      whole = whole.split(sep.group).join("");
    } else if (whole && !/^[0-9]+$/.test(whole)) {
      return { error: "ambiguous" };
    }
    if (!whole && !fraction) return { error: "ambiguous" };
    var significant = fraction.replace(/0+$/, "");
    if (places != null && significant.length > places) {
      return { error: places === 0 ? "not_whole" : "too_many_decimals" };
    }
    whole = whole.replace(/^0+(?=[0-9])/, "") || "0";
    var value = whole + (significant ? "." + significant : "");
    if (/^0(\.0*)?$/.test(value)) sign = "";
    return { value: sign + value };
  }

  /* A decimal string as a BigInt scaled by 10^scale (extra digits are never there:
     parse() limits them). */
  function scaled(text, scale) {
    var s = String(text == null ? "0" : text).trim();
    var negative = s[0] === "-";
    if (negative || s[0] === "+") s = s.slice(1);
    var bits = s.split(".");
    var fraction = (bits[1] || "").slice(0, scale);
    while (fraction.length < scale) fraction += "0";
    var n = BigInt((bits[0] || "0") + fraction);
    return negative ? -n : n;
  }

  /* round(numerator / denominator) half away from zero, like ROUND_HALF_UP. */
  function divRound(numerator, denominator) {
    if (denominator < 0n) { numerator = -numerator; denominator = -denominator; }
    var negative = numerator < 0n;
    var n = negative ? -numerator : numerator;
    var q = (2n * n + denominator) / (2n * denominator);
    return negative ? -q : q;
  }

  /* "11/12" or "1" or "0.9" as [numerator, denominator] BigInts (scaled by 10^6). */
  function fraction(text) {
    var bits = String(text || "1").split("/");
    return [scaled(bits[0], 6), scaled(bits[1] || "1", 6)];
  }

  /* The one line rule (niaga.money.line_amounts): gross = round(q x p), discount =
     round(q x p x pct / 100), amount = gross - discount; without tax in the price
     tax = round(amount x rate x base); with tax in the price net = round(amount /
     (1 + rate x base)). Returns whole rupiah as Numbers. */
  function lineAmounts(line, pricesIncludeTax) {
    var exact = scaled(line.quantity, 4) * scaled(line.unit_price, 2); // x 10^6
    var million = 1000000n;
    var gross = divRound(exact, million);
    var pct = scaled(line.discount_percent || "0", 4); // x 10^4
    var discount = divRound(exact * pct, million * 100n * 10000n);
    var amount = gross - discount;
    var rate = scaled(line.tax_rate || "0", 6); // x 10^6
    var base = fraction(line.tax_base);
    var net, tax, total;
    if (pricesIncludeTax) {
      // amount x den / (den + rate x num), rate scaled by 10^6
      net = divRound(amount * base[1] * million, base[1] * million + rate * base[0]);
      tax = amount - net;
      total = amount;
    } else {
      net = amount;
      tax = divRound(amount * rate * base[0], million * base[1]);
      total = net + tax;
    }
    return { discount: Number(discount), net: Number(net), tax: Number(tax), total: Number(total) };
  }

  var api = { parse: parse, lineAmounts: lineAmounts, SEPARATORS: SEPARATORS };
  if (typeof module !== "undefined" && module.exports) module.exports = api;
  else root.NiagaNumbers = api;
})(typeof window !== "undefined" ? window : this);
