/* The archive's behaviour in the browser. Every page works without it; this adds:
   - source pages: copyable permalinks, "Show in text" links, "Cite this statement" (a plain line and a BibTeX entry)
     on every card, the statements of the targeted card marked in the text, and stepping through
     overlapping statements by selecting the same text again.
   (The claims table's filters are in claims.js.) Contributors' text is only ever inserted with textContent, never as HTML. */
(function () {
  "use strict";

  function currentId() {
    try {
      return decodeURIComponent(window.location.hash.slice(1));
    } catch (error) {
      return "";
    }
  }

  /* The statements of a highlight: those it names, or the one it links to. */
  function ids(element) {
    return (element.getAttribute("data-annotations") || element.hash.slice(1)).split(" ");
  }

  /* Source pages ---------------------------------------------------------------------------- */

  function markActive() {
    var id = currentId();
    var card = id ? document.getElementById(id) : null;
    var active = card && card.classList.contains("archive-card") ? id : "";
    document.querySelectorAll("a.archive-hl").forEach(function (element) {
      element.classList.toggle("archive-hl--active", active !== "" && ids(element).indexOf(active) >= 0);
    });
  }

  var QUOTE_LIMIT = 120;

  function short(text) {
    var flat = text.split(/\s+/).filter(Boolean).join(" ");
    return flat.length <= QUOTE_LIMIT ? flat : flat.slice(0, QUOTE_LIMIT - 1).trimEnd() + "\u2026";
  }

  function bib(text) {
    return text.split(/\s+/).filter(Boolean).join(" ").replace(/[{}\\%&#$_^~]/g, "\\$&");
  }

  /* The citation of a card's statement, from its quote, its speakers' names and the source's facts
     on the cards' container: [plain line, BibTeX entry]. */
  function citation(card, box) {
    var data = function (name) { return box.getAttribute("data-" + name) || ""; };
    var quote = short(card.querySelector(".archive-card__quote").textContent);
    var names = Array.prototype.map.call(
      card.querySelectorAll(".archive-card__facts dd:first-of-type > a"),
      function (a) { return a.textContent; }
    );
    var url = data("url") + "#" + card.id;
    var where = [data("title"), data("outlet"), data("date")].filter(Boolean).join(", ");
    var plain = names.join(", ") + ". \u201c" + quote + "\u201d In: " + where + ". " +
      data("site") + ", statement " + card.id + ". " + url;
    var fields = [
      ["title", bib(quote)],
      ["author", names.map(function (name) { return "{" + bib(name) + "}"; }).join(" and ")],
      ["howpublished", bib(data("title") + (data("outlet") ? ", " + data("outlet") : ""))]
    ];
    if (data("year")) {
      fields.push(["year", data("year")]);
    }
    fields.push(["note", bib("Annotated statement " + card.id + ", " + data("site"))], ["url", url]);
    var entry = "@misc{" + card.id + ",\n" + fields.map(function (field) {
      return "  " + field[0] + " = {" + field[1] + "}";
    }).join(",\n") + "\n}";
    return [plain, entry];
  }

  /* "Cite this statement", filled in when first opened. */
  function addCitation(card, box) {
    var details = document.createElement("details");
    details.className = "archive-card__cite";
    var summary = document.createElement("summary");
    summary.textContent = "Cite this statement";
    details.appendChild(summary);
    details.addEventListener("toggle", function () {
      if (!details.open || details.childElementCount > 1) {
        return;
      }
      var made = citation(card, box);
      var line = document.createElement("p");
      line.textContent = made[0];
      var pre = document.createElement("pre");
      var code = document.createElement("code");
      code.textContent = made[1];
      pre.appendChild(code);
      details.append(line, pre);
    });
    card.appendChild(details);
  }

  function setupSource(text) {
    document.querySelectorAll(".archive-cards").forEach(function (box) {
      box.querySelectorAll(".archive-card").forEach(function (card) { addCitation(card, box); });
    });
    document.querySelectorAll(".archive-card__permalink").forEach(function (permalink) {
      var card = permalink.closest(".archive-card");
      var url = new URL(window.location.href);
      url.hash = card.id;
      permalink.title = "Permalink to this statement";
      var button = document.createElement("button");
      button.className = "archive-card__copy";
      button.type = "button";
      button.title = "Copy permalink";
      button.textContent = "Copy link";
      button.setAttribute("data-clipboard-text", url.href);
      var intext = anchor("#_text-" + card.id, "Show in text");
      intext.className = "archive-card__intext";
      permalink.after(button, intext);
    });
    text.addEventListener("click", function (event) {
      var target = event.target instanceof Element ? event.target.closest("a.archive-hl") : null;
      if (!target) {
        return;
      }
      var list = ids(target);
      var at = list.indexOf(currentId());
      if (list.length > 1 && at >= 0) {
        event.preventDefault();
        window.location.hash = list[(at + 1) % list.length];
      }
    });
    markActive();
  }

  function anchor(href, text) {
    var a = document.createElement("a");
    a.setAttribute("href", href);
    a.textContent = text;
    return a;
  }

  function setup() {
    var text = document.querySelector(".archive-text");
    if (text) {
      setupSource(text);
    }
  }

  window.addEventListener("hashchange", markActive);
  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(setup);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setup);
  } else {
    setup();
  }
})();
