"""The bytes one Pagefind query costs a reader: a real query in headless Chromium.

The built site is served over HTTP on 127.0.0.1 as a static host serves it (GitHub Pages, Netlify,
nginx's gzip_static...): text files compressed with gzip for a browser that accepts it. Pagefind's
own index, WebAssembly and fragment files are compressed by Pagefind and sent as they are. The
search page is loaded, a query typed into the search box, and every response under
``/pagefind/`` is summed: what the page loads for the search interface, and what the query then
fetches (the WebAssembly, the index chunks, the filters, the result fragments). The figures are
bytes on the wire (``transferred``); ``decoded`` is the same responses once decompressed by the
browser. Nothing is measured when the site has no ``pagefind/`` folder.
"""

from __future__ import annotations

import functools
import gzip
import io
import threading
import time
from dataclasses import dataclass
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlparse

if TYPE_CHECKING:
    from playwright.sync_api import Page, Response

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
SEARCH_PAGES = ("search/index.html", "index.html")
INPUTS = ".pagefind-ui__search-input, #archive-search input[type=search], #archive-search input"
RESULTS = ".pagefind-ui__result, .archive-search__result"
STATUS = ".pagefind-ui__message, .archive-search__status"
# Done: a result is shown, or a status line that is not "Searching..." (Pagefind's UI, the site's own).
DONE = f"""() => document.querySelector({RESULTS!r}) !== null ||
  Array.from(document.querySelectorAll({STATUS!r})).some(
    (e) => e.textContent.trim() !== "" && !/searching/i.test(e.textContent))"""
QUIET_SECONDS = 1.5
TIMEOUT_SECONDS = 60.0


@dataclass(frozen=True)
class QueryBytes:
    """Bytes under ``/pagefind/`` for one query: on loading the search page, then for the query."""

    query: str
    page: str
    on_load: int
    on_query: int
    requests: int
    results: int
    status: str
    by_kind: dict[str, int]
    """Bytes by kind of file: ``pf_meta``, ``pf_index``, ``pf_filter``, ``pf_fragment``, ``js``..."""
    decoded: int
    """The same responses' bodies once the browser has decompressed them."""

    @property
    def total(self) -> int:
        """Everything the reader downloads from Pagefind to see the results."""
        return self.on_load + self.on_query


COMPRESSED = (".html", ".css", ".js", ".mjs", ".json", ".svg", ".xml")
"""What a static host compresses; Pagefind's ``.pagefind`` and ``.pf_*`` files are compressed already."""


class _StaticHostHandler(SimpleHTTPRequestHandler):
    def send_head(self) -> Any:
        """Text files gzip-compressed when the browser accepts gzip; everything else as it is."""
        path = Path(self.translate_path(self.path))
        accepts = "gzip" in self.headers.get("Accept-Encoding", "")
        if not (accepts and path.is_file() and path.suffix in COMPRESSED):
            return super().send_head()
        body = gzip.compress(path.read_bytes(), mtime=0)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        return io.BytesIO(body)

    def log_message(self, format: str, *args: Any) -> None:
        """No request log on the benchmark's output."""


def _transferred(response: Response) -> int:
    """The body's bytes on the wire (compressed when the server compressed it)."""
    return int(response.request.sizes()["responseBodySize"])


def _decoded(response: Response) -> int:
    try:
        return len(response.body())
    except Exception:  # a response Chromium did not keep: fall back on the header
        return int(response.headers.get("content-length", "0") or 0)


def _kind(path: str) -> str:
    name = path.rsplit("/", 1)[-1]
    if name.startswith("wasm."):
        return "wasm"
    return name.rsplit(".", 1)[-1] if "." in name else name


def _first(page: Page, seen: list[Response], after: int) -> None:
    """Wait until a response under /pagefind/ arrives beyond the first ``after`` ones."""
    deadline = time.monotonic() + TIMEOUT_SECONDS
    while len(seen) <= after:
        if time.monotonic() > deadline:
            raise RuntimeError(f"the query fetched nothing from /pagefind/ within {TIMEOUT_SECONDS:.0f} s")
        page.wait_for_timeout(50)


def _settle(page: Page, seen: list[Response]) -> None:
    """Wait until no response under /pagefind/ has arrived for a while."""
    deadline = time.monotonic() + TIMEOUT_SECONDS
    count, quiet_since = len(seen), time.monotonic()
    while time.monotonic() < deadline:
        page.wait_for_timeout(100)
        if len(seen) != count:
            count, quiet_since = len(seen), time.monotonic()
        elif time.monotonic() - quiet_since >= QUIET_SECONDS:
            return


def measure_query(site: Path, query: str) -> QueryBytes | None:
    """One query against ``site``'s Pagefind index, or None when the site has none."""
    if not (site / "pagefind").is_dir():
        return None
    if not CHROMIUM.exists():
        raise SystemExit(f"{CHROMIUM} is missing: `make browser` installs it")
    from playwright.sync_api import sync_playwright  # only needed when there is an index

    search_page = next((p for p in SEARCH_PAGES if (site / p).is_file()), "index.html")
    handler = functools.partial(_StaticHostHandler, directory=str(site))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/{search_page.removesuffix('index.html')}"
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            try:
                page = browser.new_page(viewport={"width": 1280, "height": 900})
                seen: list[Response] = []
                page.on(
                    "response",
                    lambda r: seen.append(r) if urlparse(r.url).path.startswith("/pagefind/") else None,
                )
                page.goto(url, wait_until="load")
                box = page.locator(INPUTS).first
                box.wait_for(state="visible", timeout=TIMEOUT_SECONDS * 1000)
                _settle(page, seen)
                loaded = len(seen)
                box.fill(query)
                _first(page, seen, loaded)
                page.wait_for_function(DONE, timeout=TIMEOUT_SECONDS * 1000)
                _settle(page, seen)
                results = page.locator(RESULTS).count()
                status = " ".join(page.locator(STATUS).all_inner_texts()).strip()
                sizes = [_transferred(r) for r in seen]
                decoded = sum(_decoded(r) for r in seen)
                kinds: dict[str, int] = {}
                for response, size in zip(seen, sizes, strict=True):
                    kind = _kind(urlparse(response.url).path)
                    kinds[kind] = kinds.get(kind, 0) + size
            finally:
                browser.close()
    finally:
        server.shutdown()
        server.server_close()
    return QueryBytes(
        query=query,
        page=search_page,
        on_load=sum(sizes[:loaded]),
        on_query=sum(sizes[loaded:]),
        requests=len(sizes),
        results=results,
        status=status,
        by_kind=dict(sorted(kinds.items())),
        decoded=decoded,
    )
