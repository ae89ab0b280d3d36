/* Search with Pagefind (Material's own search is switched off: its single index does not scale).
   - every page: a search box in the header that opens the search page with ?q=...;
   - the search page: a small interface over Pagefind's JavaScript API, with filters.
   Pagefind's ready-made interface is not used: it inserts filter values as HTML, and those are
   contributors' text. Here every result is built with textContent; of an excerpt, only
   Pagefind's own <mark> tags become elements. The filter indexes (which grow with the archive)
   are fetched only when the reader opens the filters or arrives with filters in the address. */
(function () {
  "use strict";

  var PAGE = 10;
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

  function resultItem(data) {
    var item = document.createElement("li");
    item.className = "archive-search__result";
    var link = document.createElement("a");
    link.setAttribute("href", data.url);
    link.textContent = (data.meta && data.meta.title) || data.url;
    var title = document.createElement("p");
    title.className = "archive-search__title";
    title.appendChild(link);
    item.appendChild(title);
    item.appendChild(excerpt(data.excerpt || ""));
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
      var batch = results.slice(shown, shown + PAGE);
      shown += batch.length;
      more.hidden = shown >= results.length;
      return Promise.all(batch.map(function (result) { return result.data(); })).then(function (all) {
        all.forEach(function (data) { list.appendChild(resultItem(data)); });
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
          shown = 0;
          list.textContent = "";
          status.textContent = results.length === 1 ? "1 article matches." : results.length + " articles match.";
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
          option.textContent = value + " (" + values[value] + ")";
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
