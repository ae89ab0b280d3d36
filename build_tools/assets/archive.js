/* The archive's behaviour in the browser. Every page works without it; this adds:
   - source pages: the selected statement's card in a panel beside the text (or a sheet on a
     phone), opened from its highlights, from `#<annotation-id>` addresses and from links between
     cards, with the keyboard focus on it (Escape returns to the text) and, beside the text,
     level with its highlight where it fits; a card lighting its highlights when hovered or
     focused and a highlight its cards; filters by speaker, category and "rebutted" that dim the
     other statements (made from the list of who is quoted, which
     says how many statements each speaker made and how many are rebutted); stepping through every
     statement (the panel's arrows, or the j and k keys) and through overlapping ones (selecting
     the same text again, or the panel's list of the statements there); highlights named by speaker
     and claim type; copyable permalinks, "Show in text" links and "Cite this statement" (a plain
     line and a BibTeX entry) on every card; a skip link to the text.
   (The claims table's filters are in claims.js.) Contributors' text is only ever inserted with
   textContent, never as HTML. */
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

  /* Source pages ----------------------------------------------------------------------------
     The card of the selected statement opens in a panel beside the text (a column on wide screens,
     a sheet at the bottom of the screen on narrow ones), so that the text does not move. Clicks on
     the page's own links are handled here and kept from Material's instant navigation, which would
     otherwise take them (and lose the keyboard focus). */

  var reader = null;

  function markActive(id) {
    document.querySelectorAll("a.archive-hl").forEach(function (element) {
      element.classList.toggle("archive-hl--active", id !== "" && ids(element).indexOf(id) >= 0);
    });
  }

  function button(className, text, label) {
    var made = document.createElement("button");
    made.type = "button";
    made.className = className;
    made.textContent = text;
    if (label) {
      made.setAttribute("aria-label", label);
    }
    return made;
  }

  function Reader(root, text) {
    var self = this;
    this.root = root;
    this.text = text;
    this.cards = Array.prototype.slice.call(root.querySelectorAll(".archive-card"));
    this.order = this.cards.map(function (card) { return card.id; });
    this.card = null;
    this.place = null;
    this.from = null;
    this.panel = document.createElement("aside");
    this.panel.className = "archive-panel";
    this.panel.setAttribute("aria-label", "Selected statement");
    var bar = document.createElement("div");
    bar.className = "archive-panel__bar";
    this.status = document.createElement("span");
    this.status.className = "archive-panel__status";
    this.previous = button("archive-panel__step", "\u2190", "Previous statement (k)");
    this.next = button("archive-panel__step", "\u2192", "Next statement (j)");
    this.close = button("archive-panel__close", "\u00d7", "Close the statement");
    bar.append(this.previous, this.status, this.next, this.close);
    this.here = document.createElement("div");
    this.here.className = "archive-panel__here";
    this.body = document.createElement("div");
    this.body.className = "archive-panel__body";
    this.hint = document.createElement("p");
    this.hint.className = "archive-panel__hint";
    this.hint.textContent = "Select a highlighted statement to see its card here.";
    this.panel.append(bar, this.here, this.body);
    this.body.appendChild(this.hint);
    text.parentNode.appendChild(this.panel);
    text.parentNode.classList.add("archive-reading--panel");
    this.previous.addEventListener("click", function () { self.step(-1); });
    this.next.addEventListener("click", function () { self.step(1); });
    this.close.addEventListener("click", function () { self.shut(true); });
    this.lit = "";
    root.addEventListener("pointerover", function (event) { self.light(event.target); });
    root.addEventListener("focusin", function (event) { self.light(event.target); });
    root.addEventListener("pointerleave", function () { self.light(null); });
    this.label();
    this.update();
  }

  /* Hovering over or focusing a card lights its statement's highlights; a highlight, the cards of
     its statements (in the panel or in the list below the text). */
  Reader.prototype.light = function (target) {
    var element = target instanceof Element ? target.closest(".archive-card, a.archive-hl") : null;
    var card = element && element.classList.contains("archive-card") ? element.id : "";
    var list = card ? [card] : element ? ids(element) : [];
    var key = (card ? "card " : "text ") + list.join(" ");
    if (key === this.lit) {
      return;
    }
    this.lit = key;
    this.text.querySelectorAll("a.archive-hl").forEach(function (highlight) {
      highlight.classList.toggle("archive-hl--lit", card !== "" && ids(highlight).indexOf(card) >= 0);
    });
    this.cards.forEach(function (other) {
      other.classList.toggle("archive-card--lit", card === "" && list.indexOf(other.id) >= 0);
    });
  };

  /* Highlights are named by whose statements they are and of which type, then their words. */
  Reader.prototype.label = function () {
    var self = this;
    this.text.querySelectorAll("a.archive-hl").forEach(function (element) {
      var names = ids(element).map(function (id) { return self.title(id); }).filter(Boolean);
      element.setAttribute("aria-label", names.join("; ") + ": " + element.textContent);
    });
  };

  Reader.prototype.title = function (id) {
    var heading = document.getElementById("_h-" + id);
    return heading ? heading.textContent : "";
  };

  Reader.prototype.update = function () {
    var at = this.card ? this.order.indexOf(this.card.id) : -1;
    this.status.textContent = at < 0
      ? this.order.length + " statements"
      : "Statement " + (at + 1) + " of " + this.order.length;
    this.previous.disabled = at < 0 || !this.neighbour(-1);
    this.next.disabled = at < 0 || !this.neighbour(1);
    this.close.hidden = !this.card;
    this.panel.classList.toggle("archive-panel--open", !!this.card);
  };

  /* Put the card shown back in its place among the others. */
  Reader.prototype.restore = function () {
    if (this.card && this.spot) {
      this.spot.replaceWith(this.card);
    }
    this.card = null;
  };

  /* The statements sharing the selected place of the text, to step through them. */
  Reader.prototype.showPlace = function (id) {
    var self = this;
    this.here.replaceChildren();
    var list = this.place ? ids(this.place) : [];
    if (list.length < 2 || list.indexOf(id) < 0) {
      return;
    }
    var label = document.createElement("p");
    label.textContent = list.length + " statements here:";
    this.here.appendChild(label);
    list.forEach(function (other) {
      var choice = button("archive-panel__choice", self.title(other));
      choice.setAttribute("aria-pressed", other === id ? "true" : "false");
      choice.addEventListener("click", function () { self.open(other, { focus: true }); });
      self.here.appendChild(choice);
    });
  };

  /* The first highlight linking to statement ``id``, else the first one naming it. */
  Reader.prototype.highlight = function (id) {
    var all = Array.prototype.slice.call(this.text.querySelectorAll("a.archive-hl"));
    return all.find(function (element) { return element.hash === "#" + id; }) ||
      all.find(function (element) { return ids(element).indexOf(id) >= 0; });
  };

  /* How much further down the page may scroll before the end of the reading column pushes the
     card panel beside the text up under the header (negative: it already has); Infinity when the
     panel is not beside the text. */
  Reader.prototype.slack = function () {
    var style = getComputedStyle(this.panel);
    if (style.position !== "sticky") {
      return Infinity;
    }
    var column = this.panel.parentElement.getBoundingClientRect();
    return column.bottom - this.panel.offsetHeight - parseFloat(style.top);
  };

  /* Scroll ``element`` of the text into view if it is not, clear of the header and of the sheet,
     and, near the end of the text, no further than keeps the panel beside it whole; whether a
     smooth scroll is under way (it ends with a "scrollend" event). */
  Reader.prototype.reveal = function (element) {
    if (element) {
      var top = element.getBoundingClientRect().top;
      var header = document.querySelector(".md-header");
      var clear = (header ? header.getBoundingClientRect().bottom : 0) + 16;
      var sheet = this.panel.classList.contains("archive-panel--open") &&
        getComputedStyle(this.panel).position === "fixed";
      var room = (sheet ? this.panel.getBoundingClientRect().top : window.innerHeight) - 48;
      var by = top < clear || top > room ? top - clear : 0;
      by = Math.max(Math.min(by, this.slack()), top - room);
      var max = document.documentElement.scrollHeight - window.innerHeight;
      var target = Math.min(Math.max(window.scrollY + by, 0), max);
      if (Math.abs(target - window.scrollY) >= 1) {
        var behavior = motion();
        window.scrollTo({ top: target, behavior: behavior });
        return behavior === "smooth";
      }
    }
    return false;
  };

  /* In the column beside the text, move the card down level with its statement's highlight, as
     far as the card still fits on the screen (on a phone the sheet stays at the bottom). */
  Reader.prototype.align = function (element) {
    this.body.style.paddingTop = "";
    if (!element || !this.card || getComputedStyle(this.panel).position !== "sticky") {
      return;
    }
    var panel = this.panel.getBoundingClientRect();
    var limit = Math.min(window.innerHeight, panel.top + parseFloat(getComputedStyle(this.panel).maxHeight));
    var card = this.card.getBoundingClientRect();
    var offset = Math.min(element.getBoundingClientRect().top - card.top, limit - card.bottom - 16);
    this.body.style.paddingTop = Math.max(0, offset) + "px";
  };

  /* Put the open card's highlight ``shown`` in view, then the card level with it. */
  Reader.prototype.show = function (shown) {
    var self = this;
    var card = this.card;
    this.align(null);
    if (this.reveal(shown)) {
      window.addEventListener("scrollend", function () {
        if (self.card === card) {
          self.align(shown);
        }
      }, { once: true });
    } else {
      this.align(shown);
    }
  };

  /* Open the card of statement ``id``; options: focus (move the keyboard focus to it), reveal
     (scroll its highlight into view), from (the highlight that was selected). */
  Reader.prototype.open = function (id, options) {
    var card = document.getElementById(id);
    if (!card || !card.classList.contains("archive-card")) {
      return false;
    }
    options = options || {};
    if (options.from) {
      this.place = options.from;
    } else if (!this.place || ids(this.place).indexOf(id) < 0) {
      this.place = this.highlight(id);
    }
    this.from = this.place;
    if (card !== this.card) {
      this.restore();
      this.spot = document.createComment(id);
      card.replaceWith(this.spot);
      this.hint.remove();
      this.body.appendChild(card);
      this.card = card;
    }
    card.tabIndex = -1;
    this.panel.scrollTop = 0;
    this.showPlace(id);
    this.update();
    markActive(id);
    if (window.location.hash !== "#" + id) {
      window.history.replaceState(window.history.state, "", "#" + id);
    }
    this.show(options.reveal ? document.getElementById("_text-" + id) : this.place);
    if (options.focus) {
      card.focus({ preventScroll: true });
    }
    return true;
  };

  Reader.prototype.shut = function (focus) {
    var back = this.from;
    this.restore();
    this.here.replaceChildren();
    this.align(null);
    this.body.appendChild(this.hint);
    this.update();
    markActive("");
    window.history.replaceState(window.history.state, "", window.location.pathname + window.location.search);
    if (focus && back) {
      back.focus();
    }
  };

  /* The next (``by`` 1) or previous (-1) statement from the open one that the filters leave
     undimmed: from none open, the first. */
  Reader.prototype.neighbour = function (by) {
    var at = this.card ? this.order.indexOf(this.card.id) : -1;
    var from = at < 0 ? 0 : at + by;
    for (var index = from; index >= 0 && index < this.order.length; index += at < 0 ? 1 : by) {
      var card = document.getElementById(this.order[index]);
      if (card && !card.classList.contains("archive-dim")) {
        return this.order[index];
      }
    }
    return null;
  };

  Reader.prototype.step = function (by) {
    var next = this.neighbour(by) || (this.card && this.card.id);
    if (next) {
      this.place = null;
      this.open(next, { focus: true, reveal: true });
    }
  };

  /* "Show in text": the statement's first highlight, marked, in view and focused. */
  Reader.prototype.showInText = function (id) {
    var element = this.highlight(id);
    if (!element) {
      return;
    }
    markActive(id);
    this.reveal(document.getElementById("_text-" + id));
    element.focus({ preventScroll: true });
  };

  Reader.prototype.click = function (event) {
    /* Material's instant navigation makes every link absolute: a link within the page is one to
       this address with a fragment. */
    var link = event.target instanceof Element ? event.target.closest("a[href]") : null;
    if (!link || !link.hash || link.origin !== window.location.origin ||
        link.pathname !== window.location.pathname || event.ctrlKey || event.metaKey ||
        event.shiftKey || event.altKey) {
      return;
    }
    var id = link.hash.slice(1);
    try {
      id = decodeURIComponent(id);
    } catch (error) {
      return;
    }
    var done = false;
    if (link.classList.contains("archive-hl")) {
      var list = ids(link);
      var at = this.card ? list.indexOf(this.card.id) : -1;
      done = this.open(at >= 0 ? list[(at + 1) % list.length] : list[0], { from: link, focus: true });
    } else if (id.indexOf("_text-") === 0) {
      this.showInText(id.slice(6));
      done = true;
    } else if (id === "_text") {
      this.text.focus();
      this.text.scrollIntoView({ behavior: motion() });
      done = true;
    } else {
      done = this.open(id, { focus: true, reveal: true });
    }
    if (done) {
      event.preventDefault();
      event.stopPropagation();
    }
  };

  Reader.prototype.key = function (event) {
    var target = event.target;
    if (event.ctrlKey || event.metaKey || event.altKey ||
        (target instanceof Element && target.closest("input, textarea, select, [contenteditable]"))) {
      return;
    }
    if (event.key === "j" || event.key === "k") {
      event.preventDefault();
      this.step(event.key === "j" ? 1 : -1);
    } else if (event.key === "Escape" && this.card && this.panel.contains(target)) {
      event.preventDefault();
      this.shut(true);
    }
  };

  Reader.prototype.follow = function () {
    var id = currentId();
    if (this.card && this.card.id === id) {
      return;
    }
    if (id.indexOf("_text-") === 0) {
      this.showInText(id.slice(6));
    } else if (!this.open(id, { reveal: true }) && this.card) {
      this.shut(false);
    }
  };

  /* Filters: chips for the speakers (from the list of who is quoted), the categories (from the
     legend) and "rebutted" (the cards contradicted or disputed), each a toggle. A statement
     matching every group with a chip pressed (any chip of the group) stays as it is; the others'
     highlights lose their colour and their cards are dimmed, and j and k skip them. */
  function Filters(reader, who) {
    var self = this;
    this.reader = reader;
    this.facts = {};
    reader.cards.forEach(function (card) {
      self.facts[card.id] = {
        speaker: Array.prototype.map.call(
          card.querySelectorAll(".archive-card__facts dd:first-of-type > a"),
          function (a) { return a.pathname; }
        ),
        category: [Array.prototype.find.call(card.classList, function (name) { return /^hl-c\d+$/.test(name); })],
        rebutted: card.querySelector(".archive-card__contradicts.archive-card__rebutted, " +
          ".archive-card__disputes.archive-card__rebutted") ? ["yes"] : []
      };
    });
    this.chips = [];
    this.bar = document.createElement("div");
    this.bar.className = "archive-chips";
    this.bar.setAttribute("role", "group");
    this.bar.setAttribute("aria-label", "Show only");
    var label = document.createElement("span");
    label.className = "archive-chips__label";
    label.textContent = "Show only:";
    this.bar.appendChild(label);
    /* A group of one choice would filter nothing. */
    var speakers = who.querySelectorAll("li > a");
    var categories = document.querySelectorAll(".archive-legend li");
    Array.prototype.forEach.call(speakers.length > 1 ? speakers : [], function (a) {
      self.chip("speaker", a.pathname, a.textContent);
    });
    Array.prototype.forEach.call(categories.length > 1 ? categories : [], function (item) {
      var swatch = item.querySelector(".archive-swatch");
      var name = Array.prototype.find.call(swatch.classList, function (c) { return /^hl-c\d+$/.test(c); });
      self.chip("category", name, item.lastChild.textContent, swatch.textContent);
    });
    if (reader.cards.some(function (card) { return self.facts[card.id].rebutted.length; })) {
      this.chip("rebutted", "yes", "Rebutted");
    }
    this.clear = button("archive-chips__clear", "Show all");
    this.clear.addEventListener("click", function () {
      self.chips.forEach(function (chip) { chip.setAttribute("aria-pressed", "false"); });
      self.apply();
    });
    this.status = document.createElement("span");
    this.status.className = "archive-chips__status";
    this.status.setAttribute("role", "status");
    this.bar.append(this.clear, this.status);
    who.after(this.bar);
    this.apply();
  }

  Filters.prototype.chip = function (group, value, text, mark) {
    var self = this;
    var chip = button("archive-chip", text);
    if (mark) {
      var swatch = document.createElement("span");
      swatch.className = "archive-swatch " + value;
      swatch.setAttribute("aria-hidden", "true");
      swatch.textContent = mark;
      chip.prepend(swatch);
    }
    chip.setAttribute("aria-pressed", "false");
    chip.setAttribute("data-group", group);
    chip.value = value;
    chip.addEventListener("click", function () {
      chip.setAttribute("aria-pressed", chip.getAttribute("aria-pressed") === "true" ? "false" : "true");
      self.apply();
    });
    this.bar.appendChild(chip);
    this.chips.push(chip);
  };

  Filters.prototype.apply = function () {
    var self = this;
    var chosen = {};
    this.chips.forEach(function (chip) {
      if (chip.getAttribute("aria-pressed") === "true") {
        var group = chip.getAttribute("data-group");
        (chosen[group] = chosen[group] || []).push(chip.value);
      }
    });
    var groups = Object.keys(chosen);
    var shown = {};
    var count = 0;
    this.reader.cards.forEach(function (card) {
      var facts = self.facts[card.id];
      shown[card.id] = groups.every(function (group) {
        return facts[group].some(function (value) { return chosen[group].indexOf(value) >= 0; });
      });
      count += shown[card.id];
      card.classList.toggle("archive-dim", !shown[card.id]);
    });
    this.reader.text.querySelectorAll("a.archive-hl").forEach(function (element) {
      element.classList.toggle("archive-dim", !ids(element).some(function (id) { return shown[id]; }));
    });
    this.clear.disabled = groups.length === 0;
    this.status.textContent = groups.length ? count + " of " + this.reader.cards.length + " statements" : "";
    this.reader.update();
  };

  function motion() {
    return window.matchMedia("(prefers-reduced-motion: reduce)").matches ? "auto" : "smooth";
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

  /* A skip link to the article text, where Material makes none (the page has no table of contents). */
  function addSkip() {
    var skip = document.querySelector("[data-md-component=skip]");
    if (skip && !skip.querySelector("a")) {
      var link = anchor("#_text", "Skip to the article text");
      link.className = "md-skip";
      link.addEventListener("click", function (event) {
        event.preventDefault();
        event.stopPropagation();
        var text = document.getElementById("_text");
        text.focus({ preventScroll: true });
        text.scrollIntoView({ behavior: motion() });
      });
      skip.appendChild(link);
    }
  }

  function setupSource(text) {
    var root = text.closest(".archive-source") || document.body;
    document.querySelectorAll(".archive-cards").forEach(function (box) {
      box.querySelectorAll(".archive-card").forEach(function (card) { addCitation(card, box); });
    });
    document.querySelectorAll(".archive-card__permalink").forEach(function (permalink) {
      var card = permalink.closest(".archive-card");
      var heading = card.querySelector("h3");
      var name = heading ? heading.textContent : card.id;
      var url = new URL(window.location.href);
      url.hash = card.id;
      permalink.title = "Permalink to this statement";
      var copy = button("archive-card__copy", "Copy link", "Copy link to " + name);
      copy.setAttribute("data-clipboard-text", url.href);
      var intext = anchor("#_text-" + card.id, "Show in text");
      intext.className = "archive-card__intext";
      intext.setAttribute("aria-label", "Show in text: " + name);
      permalink.after(copy, intext);
      var page = card.querySelector(".archive-card__page");
      if (page) {
        page.setAttribute("aria-label", "Statement page of " + name);
      }
    });
    addSkip();
    reader = new Reader(root, text);
    var who = document.querySelector(".archive-who");
    if (who) {
      reader.filters = new Filters(reader, who);
    }
    root.addEventListener("click", function (event) { reader.click(event); });
    reader.follow();
    if (document.readyState !== "complete") {
      // Until the page has loaded the browser may scroll to the element the address names, now
      // the card in the panel: then show its statement's highlight again.
      var opened = reader;
      window.addEventListener("load", function () {
        window.requestAnimationFrame(function () {
          if (reader === opened && reader.card) {
            reader.show(document.getElementById("_text-" + reader.card.id));
          }
        });
      }, { once: true });
    }
  }

  function anchor(href, text) {
    var a = document.createElement("a");
    a.setAttribute("href", href);
    a.textContent = text;
    return a;
  }

  function setup() {
    reader = null;
    var text = document.querySelector(".archive-text");
    if (text) {
      setupSource(text);
    }
  }

  window.addEventListener("hashchange", function () {
    if (reader) {
      reader.follow();
    }
  });
  document.addEventListener("keydown", function (event) {
    if (reader) {
      reader.key(event);
    }
  });
  window.addEventListener("beforeprint", function () {
    if (reader) {
      reader.printing = reader.card && reader.card.id;
      reader.restore();
    }
  });
  window.addEventListener("afterprint", function () {
    if (reader && reader.printing) {
      reader.open(reader.printing, {});
    }
  });
  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(setup);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setup);
  } else {
    setup();
  }
})();
