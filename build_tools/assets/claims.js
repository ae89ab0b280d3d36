/* The claims table's filters (see build_tools/render/claims.py): by speaker, claim type and
   outlet. The form is in the page from the start, its controls disabled until their choices have
   loaded, so that nothing moves when they arrive; the count above the table follows the filters.
   Contributors' text is only ever inserted with textContent, never as HTML. */
(function () {
  "use strict";

  var PAGE = 100;

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
    var count = box.querySelector(".archive-claims__count");
    var everything = count ? count.textContent : "";
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
        if (count) {
          count.textContent = everything;
        }
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
        var matching = shown.length === 1 ? "1 statement matches" : shown.length + " statements match";
        status.textContent = matching + ".";
        if (count) {
          count.textContent = matching + " the filters, of " + everything;
        }
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
      Array.prototype.forEach.call(form.elements, function (control) { control.disabled = false; });
      if (Object.keys(selected()).length) {
        apply();
      }
    }).catch(function () {
      status.textContent = "The filters could not be loaded.";
    });
  }

  function setup() {
    document.querySelectorAll(".archive-claims").forEach(setupClaims);
  }

  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(setup);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setup);
  } else {
    setup();
  }
})();
