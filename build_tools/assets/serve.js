// The dev server's overlay (`mkdocs serve` only, never the published site): while the archive
// has errors, the server keeps the last good site and lists the problems here. Every text comes
// from contributors' files, so it is set as text, never as HTML.
(() => {
  const script = document.currentScript;
  if (!script) return;
  const source = new URL("problems.json", script.src);

  const render = (report) => {
    document.getElementById("archive-problems")?.remove();
    if (!report.problems.length) return;
    const box = document.createElement("aside");
    box.id = "archive-problems";
    box.setAttribute("role", "alert");
    box.style.cssText =
      "position:fixed;left:1rem;right:1rem;bottom:1rem;z-index:1000;max-height:50vh;overflow:auto;" +
      "padding:.8rem 1rem;background:#fff4f4;color:#3b0000;border:2px solid #d9363e;" +
      "border-radius:.4rem;box-shadow:0 .3rem 1rem rgba(0,0,0,.4);font:13px/1.5 monospace";
    const close = document.createElement("button");
    close.type = "button";
    close.textContent = "\u00d7";
    close.title = "Hide until the next rebuild";
    close.style.cssText = "float:right;font-size:1.4rem;line-height:1;background:none;border:0;cursor:pointer";
    close.addEventListener("click", () => box.remove());
    const heading = document.createElement("strong");
    heading.textContent = report.title;
    const list = document.createElement("ul");
    list.style.cssText = "margin:.4rem 0 0;padding-left:1.2rem";
    for (const problem of report.problems) {
      const item = document.createElement("li");
      item.textContent = problem;
      list.append(item);
    }
    box.append(close, heading, list);
    if (report.more) {
      const more = document.createElement("p");
      more.textContent = report.more;
      box.append(more);
    }
    document.body.append(box);
  };

  const show = () =>
    fetch(source, { cache: "no-store" })
      .then((response) => (response.ok ? response.json() : null))
      .then((report) => report && render(report))
      .catch(() => {});

  if (window.document$) window.document$.subscribe(show);
  else show();
})();
