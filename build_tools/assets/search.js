/* Search with Pagefind (Material's own search is switched off: its single index does not scale).
   - every page: a search box in the header that opens the search page with ?q=...;
   - the search page: a small interface over Pagefind's JavaScript API, with filters.
   Pagefind's ready-made interface is not used: it inserts filter values as HTML, and those are
   contributors' text. Here every result is built with textContent; of an excerpt, only
   Pagefind's own <mark> tags become elements. The filter indexes (which grow with the archive)
   are fetched only when the reader opens the filters or arrives with filters in the address.
   A result is a page; under an article's result, the statements its matches fall in are listed,
   each linking to its card (see build_tools/render/search.py for the anchors this reads). */
(function () {
  "use strict";

  var PAGE = 10;
  var STATEMENTS = 3;
  var QUOTE_WORDS = 30;
  var TEXT_ANCHOR = "_text-";
  var FILTERS = ["speaker", "claim type", "outlet", "year"];

  function siteBase() {
    var config = document.getElementById("__config");
    try {
      return config ? JSON.parse(config.textContent).base : ".";
    } catch (error) {
      return ".";
    }
  }

  function headerBox() {
    var header = document.querySelector(".md-header__inner");
    if (!header || header.querySelector(".archive-header-search")) {
      return;
    }
    var form = document.createElement("form");
    form.className = "archive-header-search";
    form.setAttribute("role", "search");
    form.setAttribute("aria-label", "Quick search");
    form.setAttribute("action", siteBase() + "/search/");
    var input = document.createElement("input");
    input.type = "search";
    input.name = "q";
    input.placeholder = "Search";
    input.setAttribute("aria-label", "Search the archive");
    form.appendChild(input);
    var palette = header.querySelector(".md-header__option");
    header.insertBefore(form, palette ? palette.nextSibling : null);
  }

  /* Text of an HTML fragment without interpreting it: a <textarea> only decodes entities. */
  function decode(html) {
    var area = document.createElement("textarea");
    area.innerHTML = html;
    return area.value;
  }

  function excerpt(html) {
    var paragraph = document.createElement("p");
    paragraph.className = "archive-search__excerpt";
    var marked = false;
    html.split(/(<mark>|<\/mark>)/).forEach(function (part) {
      if (part === "<mark>" || part === "</mark>") {
        marked = part === "<mark>";
        return;
      }
      var text = document.createTextNode(decode(part));
      if (marked) {
        var mark = document.createElement("mark");
        mark.appendChild(text);
        paragraph.appendChild(mark);
      } else {
        paragraph.appendChild(text);
      }
    });
    return paragraph;
  }

  /* The page's words as Pagefind counts them (its locations index this list). */
  function pageWords(data) {
    var raw = data.raw_content || data.content || "";
    return raw.indexOf("\u200B") >= 0 ? raw.split("\u200B") : raw.split(/[\r\n\s]+/g);
  }

  /* Where each statement of an article's result is: its text [start, end) and its card
     [card, cardEnd), in word positions. The metadata gives the words of each statement's text
     in the order of the text anchors (by position, then id). */
  function statementPlaces(data) {
    var words = ((data.meta && data.meta.statements) || "").split(" ").filter(Boolean).map(Number);
    var anchors = data.anchors || [];
    var texts = anchors.filter(function (anchor) {
      return (anchor.id || "").indexOf(TEXT_ANCHOR) === 0;
    }).sort(function (a, b) {
      return a.location - b.location || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
    });
    var places = {};
    if (texts.length !== words.length) {
      return { all: places, cards: [] };
    }
    texts.forEach(function (anchor, index) {
      var id = anchor.id.slice(TEXT_ANCHOR.length);
      places[id] = { id: id, start: anchor.location, end: anchor.location + words[index] };
    });
    var cards = anchors.filter(function (anchor) { return places[anchor.id]; }).map(function (anchor) {
      places[anchor.id].card = anchor.location;
      return places[anchor.id];
    }).sort(function (a, b) { return a.card - b.card; });
    cards.forEach(function (place, index) {
      place.cardEnd = index + 1 < cards.length ? cards[index + 1].card : Infinity;
    });
    return { all: places, cards: cards };
  }

  /* The statement a matched word belongs to: the card it is in, else the innermost statement
     whose text holds it. */
  function statementAt(places, location) {
    var card = places.cards.filter(function (place) {
      return place.card <= location && location < place.cardEnd;
    })[0];
    if (card) {
      return card;
    }
    var inner = null;
    Object.keys(places.all).forEach(function (id) {
      var place = places.all[id];
      if (place.start <= location && location < place.end && (!inner || place.end - place.start < inner.end - inner.start)) {
        inner = place;
      }
    });
    return inner;
  }

  /* Words [start, end) of the page as a text run, the matched ones marked. */
  function wordRun(element, words, start, end, matched) {
    for (var at = Math.max(start, 0); at < Math.min(end, words.length); at++) {
      if (at > start) {
        element.appendChild(document.createTextNode(" "));
      }
      var text = document.createTextNode(decode(words[at]));
      if (matched[at]) {
        var mark = document.createElement("mark");
        mark.appendChild(text);
        element.appendChild(mark);
      } else {
        element.appendChild(text);
      }
    }
    return element;
  }

  function plain(word) {
    return word.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, "");
  }

  /* What a matched word counts as: the query's word it begins with (Pagefind matches the last
     word of a query as a prefix too), else itself. */
  function termOf(word, terms) {
    var found = plain(word);
    for (var index = 0; index < terms.length; index++) {
      if (terms[index] && found.indexOf(terms[index]) === 0) {
        return terms[index];
      }
    }
    return found;
  }

  /* The statements the matches of a result fall in (the STATEMENTS that match best), each a link
     to its card: its words, quoted, and, for a match in its card, the words around that match.
     A statement scores each query word it has by how rare that word is in the page, so that a
     statement holding "worthy" and "praise" comes before the many that hold only "of". */
  function statementList(data, query) {
    var places = statementPlaces(data);
    var weighted = data.weighted_locations || [];
    var words = pageWords(data);
    var terms = query.split(/\s+/).map(plain);
    var matched = {};
    var often = {};
    var found = [];
    var seen = {};
    weighted.forEach(function (word) {
      word.term = termOf(words[word.location] || "", terms);
      often[word.term] = (often[word.term] || 0) + 1;
    });
    weighted.forEach(function (word) {
      matched[word.location] = true;
      var place = statementAt(places, word.location);
      if (!place || place.start === undefined) {
        return;
      }
      if (!seen[place.id]) {
        seen[place.id] = { place: place, terms: {}, score: 0, first: word.location, count: 0, inCard: [] };
        found.push(seen[place.id]);
      }
      var entry = seen[place.id];
      if (!entry.terms[word.term]) {
        entry.terms[word.term] = true;
        entry.score += 1 / often[word.term];
      }
      entry.first = Math.min(entry.first, word.location);
      entry.count += 1;
      if (place.card !== undefined && word.location >= place.card) {
        entry.inCard.push(word.location);
      }
    });
    found.sort(function (a, b) { return b.score - a.score || a.first - b.first; });
    // Only the statements that match about as well as the best: not every one holding an "of".
    var shown = found.filter(function (entry) { return entry.score >= found[0].score / 2; }).slice(0, STATEMENTS);
    var list = document.createElement("ul");
    list.className = "archive-search__statements";
    shown.forEach(function (entry) {
      var place = entry.place;
      var item = document.createElement("li");
      var link = document.createElement("a");
      link.setAttribute("href", data.url.split("#")[0] + "#" + place.id);
      var end = Math.min(place.end, place.start + QUOTE_WORDS);
      wordRun(link, words, place.start, end, matched);
      if (end < place.end) {
        link.appendChild(document.createTextNode("\u2026"));
      }
      item.appendChild(link);
      // Found through its card only (a note, a rebuttal): the words around the first match there.
      if (entry.inCard.length === entry.count) {
        var first = Math.min.apply(null, entry.inCard);
        var around = document.createElement("span");
        around.className = "archive-search__card";
        around.appendChild(document.createTextNode(" \u2014 in its card: \u2026"));
        wordRun(around, words, Math.max(place.card, first - 8), Math.min(place.cardEnd, first + 12), matched);
        around.appendChild(document.createTextNode("\u2026"));
        item.appendChild(around);
      }
      list.appendChild(item);
    });
    if (found.length > shown.length) {
      var rest = document.createElement("li");
      var others = found.length - shown.length;
      rest.textContent = "and " + others + (others === 1 ? " other statement" : " other statements") +
        " in this article with some of these words";
      list.appendChild(rest);
    }
    return list;
  }

  function resultItem(data, query) {
    var item = document.createElement("li");
    item.className = "archive-search__result";
    var link = document.createElement("a");
    link.setAttribute("href", data.url);
    link.textContent = (data.meta && data.meta.title) || data.url;
    var title = document.createElement("p");
    title.className = "archive-search__title";
    if (data.meta && data.meta.kind) {
      var kind = document.createElement("span");
      kind.className = "archive-search__kind";
      kind.textContent = data.meta.kind + ": ";
      title.appendChild(kind);
    }
    title.appendChild(link);
    item.appendChild(title);
    item.appendChild(excerpt(data.excerpt || ""));
    var statements = query ? statementList(data, query) : null;
    if (statements) {
      item.appendChild(statements);
    }
    return item;
  }

  function searchPage(form) {
    if (form.getAttribute("data-ready")) {
      return;
    }
    form.setAttribute("data-ready", "1");
    var bundle = new URL(form.getAttribute("data-bundle"), window.location.href).href;
    // Further parts of the index (a large archive is indexed in parts): merged into the first,
    // whose WebAssembly they share.
    var parts = (form.getAttribute("data-parts") || "").split(" ").filter(Boolean).map(function (part) {
      return new URL(part, bundle).pathname;
    });
    var input = form.querySelector("input[name=q]");
    var filtersBox = form.querySelector(".archive-search__filters");
    var status = document.querySelector(".archive-search__status");
    var list = document.querySelector(".archive-search__results");
    var more = document.querySelector(".archive-search__more");
    var params = new URLSearchParams(window.location.search);
    var selects = {};
    var results = [];
    var searched = "";
    var shown = 0;
    var generation = 0;
    var timer = null;

    function chosenFilters() {
      var chosen = {};
      FILTERS.forEach(function (name) {
        if (selects[name] && selects[name].value) {
          chosen[name] = [selects[name].value];
        }
      });
      return chosen;
    }

    function remember() {
      var url = new URL(window.location.href);
      url.search = "";
      if (input.value.trim()) {
        url.searchParams.set("q", input.value.trim());
      }
      FILTERS.forEach(function (name) {
        if (selects[name] && selects[name].value) {
          url.searchParams.set(name, selects[name].value);
        }
      });
      window.history.replaceState(window.history.state, "", url.href);
    }

    function showMore() {
      var query = searched;
      var batch = results.slice(shown, shown + PAGE);
      shown += batch.length;
      more.hidden = shown >= results.length;
      return Promise.all(batch.map(function (result) { return result.data(); })).then(function (all) {
        all.forEach(function (data) { list.appendChild(resultItem(data, query)); });
      });
    }

    function run(pagefind) {
      var mine = ++generation;
      var term = input.value.trim();
      var filters = chosenFilters();
      remember();
      if (!term && Object.keys(filters).length === 0) {
        list.textContent = "";
        status.textContent = "";
        more.hidden = true;
        return;
      }
      status.textContent = "Searching\u2026";
      pagefind.search(term || null, { filters: filters, sort: term ? undefined : { date: "desc" } })
        .then(function (search) {
          if (mine !== generation) {
            return;
          }
          results = search.results;
          searched = term;
          shown = 0;
          list.textContent = "";
          status.textContent = results.length === 1 ? "1 page matches." : results.length + " pages match.";
          return showMore();
        });
    }

    function buildFilters(pagefind, available) {
      FILTERS.forEach(function (name) {
        var values = available[name];
        if (!values) {
          return;
        }
        var label = document.createElement("label");
        label.appendChild(document.createTextNode(name.charAt(0).toUpperCase() + name.slice(1) + " "));
        var select = document.createElement("select");
        select.name = name;
        var any = document.createElement("option");
        any.value = "";
        any.textContent = "Any";
        select.appendChild(any);
        Object.keys(values).sort().forEach(function (value) {
          var option = document.createElement("option");
          option.value = value;
          option.textContent = value + " (" + values[value] + (values[value] === 1 ? " article)" : " articles)");
          select.appendChild(option);
        });
        if (params.get(name) && values[params.get(name)] !== undefined) {
          select.value = params.get(name);
        }
        select.addEventListener("change", function () { run(pagefind); });
        label.appendChild(select);
        filtersBox.appendChild(label);
        selects[name] = select;
      });
    }

    var filterBox = form.querySelector(".archive-search__more-filters");

    var filtersLoaded = null;

    function loadFilters(pagefind) {
      if (!filtersLoaded) {
        filtersLoaded = pagefind.filters().then(function (available) { buildFilters(pagefind, available); });
      }
      return filtersLoaded;
    }

    // Pagefind and every part of the index, loaded once; the filters can be opened before then.
    var ready = import(bundle + "pagefind.js").then(function (pagefind) {
      return Promise.all(parts.map(function (part) { return pagefind.mergeIndex(part); })).then(function () {
        return pagefind;
      });
    });
    filterBox.addEventListener("toggle", function () {
      if (filterBox.open) {
        ready.then(loadFilters);
      }
    });
    var wanted = FILTERS.some(function (name) { return params.get(name); });
    filterBox.open = wanted;
    ready.then(function (pagefind) {
      return (wanted ? loadFilters(pagefind) : Promise.resolve()).then(function () {
        input.value = params.get("q") || "";
        input.addEventListener("input", function () {
          window.clearTimeout(timer);
          timer = window.setTimeout(function () { run(pagefind); }, 150);
        });
        form.addEventListener("submit", function (event) {
          event.preventDefault();
          run(pagefind);
        });
        more.addEventListener("click", showMore);
        run(pagefind);
      });
    }).catch(function () {
      status.textContent = "The search index is missing: build the site with the archive plugin's search on.";
    });
  }

  function setup() {
    headerBox();
    var form = document.getElementById("archive-search");
    if (form) {
      searchPage(form);
    }
  }

  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(setup);
  } else {
    document.addEventListener("DOMContentLoaded", setup);
  }
})();
