// "Copy as annotation" (`mkdocs serve` only, never the published site): on an article's page,
// selecting text offers a ready-to-fill YAML entry for the article's annotation file, with
// `prefix` or `suffix` only when the quote occurs more than once, found exactly as the validator
// anchors quotes (the folding rules come from build_tools/anchor.py, served by the dev server).
(() => {
  const script = document.currentScript;
  if (!script) return;
  const base = new URL(".", script.src);
  const CONTEXT_WORDS = 12;
  let article = null;
  let button = null;

  const sourceId = () => {
    const found = location.pathname.match(/\/sources\/([^/]+)\/(?:index\.html)?$/);
    return found ? decodeURIComponent(found[1]) : null;
  };

  const folder = (rules) => {
    const invisible = new RegExp(`[${rules.invisible}]`, "g");
    const gaps = new RegExp(`[\\s${rules.invisible}]+`, "g");
    return (text) => {
      let out = "";
      for (const char of text) out += rules.variants[char] ?? char;
      return out.replace(gaps, (run) => (run.replace(invisible, "") ? " " : ""));
    };
  };

  const trimLoose = (text, loose, end) => {
    let start = 0;
    let stop = text.length;
    if (end !== "start") while (stop > 0 && loose.includes(text[stop - 1])) stop -= 1;
    if (end !== "end") while (start < stop && loose.includes(text[start])) start += 1;
    return text.slice(start, stop);
  };

  // The entry for the selection in `range`, or a sentence saying why there is none.
  const entry = (range) => {
    const container = document.querySelector(".archive-text");
    const paragraphs = [...container.querySelectorAll("p")];
    const inParagraph = (node) => paragraphs.find((p) => p.contains(node));
    const paragraph = inParagraph(range.startContainer);
    if (!paragraph) return null;
    if (inParagraph(range.endContainer) !== paragraph) {
      return "A statement is within one paragraph: select it one paragraph at a time.";
    }
    const fold = folder(article.folding);
    const loose = article.folding.loose;
    const quote = fold(range.toString()).trim();
    if (!quote) return null;
    const folded = paragraphs.map((p) => fold(p.textContent).trim());
    const text = folded.join(" ");
    const before = document.createRange();
    before.setStart(paragraph, 0);
    before.setEnd(range.startContainer, range.startOffset);
    const index = paragraphs.indexOf(paragraph);
    const near =
      folded.slice(0, index).reduce((sum, p) => sum + p.length + 1, 0) +
      fold(before.toString()).trimStart().length;
    const starts = [];
    for (let at = text.indexOf(quote); at >= 0; at = text.indexOf(quote, at + 1)) starts.push(at);
    if (!starts.length) return null;
    const start = starts.reduce((best, s) => (Math.abs(s - near) < Math.abs(best - near) ? s : best));
    const narrow = (prefix, suffix) =>
      starts.filter(
        (s) =>
          (!prefix ||
            trimLoose(text.slice(Math.max(0, s - prefix.length - 8), s), loose, "end").endsWith(prefix)) &&
          (!suffix ||
            trimLoose(text.slice(s + quote.length, s + quote.length + suffix.length + 8), loose, "start").startsWith(
              suffix,
            )),
      );
    const context = { quote };
    if (starts.length > 1) {
      const words = (side) => {
        const around =
          side === "prefix"
            ? trimLoose(text.slice(Math.max(0, start - 400), start), loose, "end")
            : trimLoose(text.slice(start + quote.length, start + quote.length + 400), loose, "start");
        const all = around.split(" ").filter(Boolean);
        for (let n = 1; n <= Math.min(CONTEXT_WORDS, all.length); n += 1) {
          const words = trimLoose(side === "prefix" ? all.slice(-n).join(" ") : all.slice(0, n).join(" "), loose);
          const kept = side === "prefix" ? narrow(words, null) : narrow(null, words);
          if (words && kept.length === 1 && kept[0] === start) return words;
        }
        return null;
      };
      const prefix = words("prefix");
      const suffix = prefix ? null : words("suffix");
      if (prefix) context.prefix = prefix;
      else if (suffix) context.suffix = suffix;
      else context.occurrence = starts.indexOf(start) + 1;
    }
    const ours = article.speakers.length ? article.speakers : article.registry.slice(0, 20);
    const lines = [
      `# add to ${article.file}, under annotations:`,
      "  - id: choose-an-id",
      `    quote: ${JSON.stringify(context.quote)}`,
    ];
    if (context.prefix) lines.push(`    prefix: ${JSON.stringify(context.prefix)}`);
    if (context.suffix) lines.push(`    suffix: ${JSON.stringify(context.suffix)}`);
    if (context.occurrence) lines.push(`    occurrence: ${context.occurrence}`);
    lines.push(
      `    speaker: choose  # ${ours.join(", ")}${ours.length < article.registry.length ? " (all: annotations/speakers.yaml)" : ""}`,
      "    claim_type: choose",
    );
    return lines.join("\n") + "\n";
  };

  const panel = (text, copied) => {
    document.getElementById("archive-annotate-panel")?.remove();
    const box = document.createElement("aside");
    box.id = "archive-annotate-panel";
    box.style.cssText =
      "position:fixed;right:1rem;top:4rem;z-index:1001;max-width:min(40rem,90vw);padding:.6rem .8rem;" +
      "background:var(--md-default-bg-color,#fff);color:var(--md-default-fg-color,#000);" +
      "border:1px solid currentColor;border-radius:.4rem;box-shadow:0 .3rem 1rem rgba(0,0,0,.4)";
    const note = document.createElement("p");
    note.style.margin = "0 0 .4rem";
    note.textContent = copied ? "Copied to the clipboard:" : "Copy this:";
    const pre = document.createElement("pre");
    pre.className = "archive-annotate-yaml";
    pre.style.cssText = "margin:0;white-space:pre-wrap;user-select:all;font-size:.75rem";
    pre.textContent = text;
    const close = document.createElement("button");
    close.type = "button";
    close.textContent = "Close";
    close.addEventListener("click", () => box.remove());
    box.append(note, pre, close);
    document.body.append(box);
  };

  const offer = () => {
    button?.remove();
    button = null;
    const selection = document.getSelection();
    if (!article || !selection || selection.isCollapsed || !selection.rangeCount) return;
    const range = selection.getRangeAt(0);
    const container = document.querySelector(".archive-text");
    if (!container || !container.contains(range.commonAncestorContainer)) return;
    const made = entry(range);
    if (!made) return;
    const rect = range.getBoundingClientRect();
    button = document.createElement("button");
    button.type = "button";
    button.id = "archive-annotate";
    button.textContent = made.startsWith("#") ? "Copy as annotation" : made;
    button.disabled = !made.startsWith("#");
    button.style.cssText =
      `position:fixed;left:${Math.max(4, rect.left)}px;top:${Math.max(4, rect.top - 36)}px;z-index:1001;` +
      "padding:.2rem .6rem;border-radius:.3rem;border:1px solid currentColor;" +
      "background:var(--md-primary-fg-color,#3f51b5);color:var(--md-primary-bg-color,#fff);cursor:pointer";
    // Pressing the button must not clear the selection it is for.
    button.addEventListener("mousedown", (event) => event.preventDefault());
    button.addEventListener("click", () => {
      const copy = navigator.clipboard ? navigator.clipboard.writeText(made) : Promise.reject();
      copy.then(
        () => panel(made, true),
        () => panel(made, false),
      );
      button?.remove();
      button = null;
    });
    document.body.append(button);
  };

  const load = () => {
    article = null;
    const id = sourceId();
    if (!id || !document.querySelector(".archive-text")) return;
    fetch(new URL(`article/${encodeURIComponent(id)}.json`, base), { cache: "no-store" })
      .then((response) => (response.ok ? response.json() : null))
      .then((info) => {
        article = info;
        document.documentElement.dataset.archiveAnnotate = info ? "ready" : "none";
      })
      .catch(() => {});
  };

  document.addEventListener("mouseup", () => setTimeout(offer));
  document.addEventListener("keyup", (event) => event.shiftKey && offer());
  if (window.document$) window.document$.subscribe(load);
  else load();
})();
