/* The archive's behaviour in the browser. Every page works without it; this adds:
   - source pages: copyable permalinks, "Show in text" links, "Cite this statement" (a plain line and a BibTeX entry)
     on every card, the targeted card and its statements in the text marked, and stepping through
     overlapping statements by selecting the same text again;
   - the claims table: filters by speaker, claim type and outlet.
   Contributors' text is only ever inserted with textContent, never as HTML. */
(function () {
  "use strict";

  var PAGE = 100;

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
    document.querySelectorAll(".archive-card").forEach(function (element) {
      element.classList.toggle("archive-card--target", element.id === active);
    });
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

  /* Links to a place on the same page (highlights, permalinks, "Show in text") are followed by the
     browser itself: Material's instant navigation would change the address at once but reach the
     place only after fetching the page again, and not at all if the reader scrolled meanwhile, so
     on a slow connection the card would neither be the target nor scrolled to. */
  function followInPage(container) {
    container.addEventListener("click", function (event) {
      if (event.target instanceof Element && event.target.closest("a[href^='#']")) {
        event.stopPropagation();
      }
    });
  }

  function setupSource(text) {
    followInPage(text);
    document.querySelectorAll(".archive-cards").forEach(function (box) {
      followInPage(box);
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

  /* The claims table ------------------------------------------------------------------------ */

  function cell(row, content) {
    var td = document.createElement("td");
    content.forEach(function (node) {
      td.appendChild(typeof node === "string" ? document.createTextNode(node) : node);
    });
    row.appendChild(td);
  }

  function anchor(href, text) {
    var a = document.createElement("a");
    a.setAttribute("href", href);
    a.textContent = text;
    return a;
  }

  /* One row of a data file (see build_tools/render/claims.py): [source id, annotation id, quote,
     speaker ids, claim-type id], with the file's sources and the filters' names. */
  function renderRow(box, row, sources, names) {
    var root = box.getAttribute("data-root");
    var address = function (kind, id) {
      return root + box.getAttribute("data-" + kind).replace("%", id);
    };
    var source = sources[row[0]];
    var tr = document.createElement("tr");
    cell(tr, [anchor(address("source", row[0]) + "#" + row[1], row[2])]);
    var speakers = [];
    row[3].forEach(function (speaker, index) {
      if (index > 0) {
        speakers.push(", ");
      }
      speakers.push(anchor(address("speaker", speaker), names.speaker[speaker] || speaker));
    });
    cell(tr, speakers);
    cell(tr, [anchor(address("type", row[4]), names.type[row[4]] || row[4])]);
    var outlet = document.createElement("small");
    outlet.textContent = names.outlet[source[1]] || "";
    cell(tr, [source[0], document.createElement("br"), outlet]);
    cell(tr, [source[2]]);
    return tr;
  }

  function setupClaims(box) {
    var form = box.querySelector(".archive-filters");
    var body = box.querySelector("tbody");
    var more = box.querySelector(".archive-claims__more");
    var status = box.querySelector(".archive-filters__status");
    var pagers = box.querySelectorAll(".archive-pager");
    var original = Array.prototype.slice.call(body.children);
    var data = box.getAttribute("data-data");
    var cache = {};
    var names = { speaker: Object.create(null), type: Object.create(null), outlet: Object.create(null) };
    var counts = { speaker: Object.create(null), type: Object.create(null), outlet: Object.create(null) };
    var shown = [];
    var shownSources = {};
    var request = 0;

    function selected() {
      var chosen = {};
      ["speaker", "type", "outlet"].forEach(function (name) {
        var value = form.elements[name].value;
        if (value) {
          chosen[name] = value;
        }
      });
      return chosen;
    }

    function matches(row, sources, chosen) {
      return (!chosen.speaker || row[3].indexOf(chosen.speaker) >= 0) &&
        (!chosen.type || row[4] === chosen.type) &&
        (!chosen.outlet || sources[row[0]][1] === chosen.outlet);
    }

    function showMore() {
      var count = body.children.length;
      shown.slice(count, count + PAGE).forEach(function (row) {
        body.appendChild(renderRow(box, row, shownSources, names));
      });
      more.hidden = body.children.length >= shown.length;
    }

    function remember(chosen) {
      var url = new URL(window.location.href);
      ["speaker", "type", "outlet"].forEach(function (name) {
        if (chosen[name]) {
          url.searchParams.set(name, chosen[name]);
        } else {
          url.searchParams.delete(name);
        }
      });
      window.history.replaceState(window.history.state, "", url.href);
    }

    function load(file) {
      var json = cache[file] || fetch(file).then(function (response) {
        if (!response.ok) {
          throw new Error(response.statusText);
        }
        return response.json();
      });
      cache[file] = json;
      return json.catch(function (error) {
        delete cache[file];
        throw error;
      });
    }

    function apply() {
      var chosen = selected();
      var mine = ++request;
      remember(chosen);
      var kinds = Object.keys(chosen);
      if (kinds.length === 0) {
        body.replaceChildren.apply(body, original);
        pagers.forEach(function (pager) { pager.hidden = false; });
        more.hidden = true;
        status.textContent = "";
        return;
      }
      /* Fetch the smallest of the chosen groups and filter it by the other choices. */
      var smallest = kinds.reduce(function (best, kind) {
        var count = counts[kind][chosen[kind]];
        return best && best.count <= count ? best : { kind: kind, count: count };
      }, null);
      status.textContent = "Loading\u2026";
      load(data + smallest.kind + "-" + chosen[smallest.kind] + ".json").then(function (json) {
        if (mine !== request) {
          return;
        }
        shownSources = json.sources;
        shown = json.rows.filter(function (row) { return matches(row, json.sources, chosen); });
        body.replaceChildren();
        pagers.forEach(function (pager) { pager.hidden = true; });
        showMore();
        status.textContent = shown.length === 1 ? "1 statement matches." : shown.length + " statements match.";
      }).catch(function () {
        status.textContent = "The filtered list could not be loaded.";
      });
    }

    /* The choices, with their counts, then the filters named in the address. */
    load(data + "filters.json").then(function (filters) {
      var params = new URL(window.location.href).searchParams;
      ["speaker", "type", "outlet"].forEach(function (kind) {
        var select = form.elements[kind];
        filters[kind].forEach(function (choice) {
          names[kind][choice[0]] = choice[1];
          counts[kind][choice[0]] = choice[2];
          var option = document.createElement("option");
          option.value = choice[0];
          option.textContent = choice[1] + " (" + choice[2] + ")";
          select.appendChild(option);
        });
        var value = params.get(kind);
        if (value && counts[kind][value]) {
          select.value = value;
        }
      });
      form.addEventListener("change", apply);
      form.addEventListener("reset", function () { window.setTimeout(apply, 0); });
      form.addEventListener("submit", function (event) { event.preventDefault(); });
      more.addEventListener("click", showMore);
      form.hidden = false;
      if (Object.keys(selected()).length) {
        apply();
      }
    }).catch(function () {
      status.textContent = "The filters could not be loaded.";
    });
  }

  function setup() {
    var text = document.querySelector(".archive-text");
    if (text) {
      setupSource(text);
    }
    document.querySelectorAll(".archive-claims").forEach(setupClaims);
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
