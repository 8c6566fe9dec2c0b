"""A real browser for the tests: Debian's headless Chromium, driven by selenium, cut off the network.

:class:`Browser` starts ``chromium`` through ``chromedriver`` (both from apt: ``chromium`` and
``chromium-driver``; the driver is given by path, so selenium never downloads one) and opens
local pages with :meth:`Browser.open_page`. The :class:`PageReport` it returns lists what the
issue's browser test fails on: every request that left the file (any URL that is not ``file:``,
``data:``, ``blob:`` or ``about:``, WebSockets included, whether or not it was blocked), every
console error (level SEVERE: uncaught exceptions, ``console.error``, failed loads), every image
with zero natural width, and every Content-Security-Policy violation; plus the title and the
visible text, and :meth:`PageReport.screenshot` of the whole page.

**No network.** Nothing can leave, three ways over: every host name resolves to nothing
(``--host-resolver-rules``), every connection goes to a proxy on a closed local port, loopback
included (``--proxy-server``, ``--proxy-bypass-list=<-loopback>``), and the DevTools protocol
refuses every ``http``, ``https``, ``ws`` and ``wss`` URL (``Network.setBlockedURLs``) before
the page's own policy is asked. Requests are still *seen*: the DevTools ``Network`` events of
the performance log name each one and why it failed (``inspector``: the block list; ``csp``:
the page's policy; ``net::ERR_...``: the proxy or resolver).

**As root.** Chromium refuses to run as root with its sandbox; containers often lack the user
namespaces it needs otherwise. The pages are the tests' own files with no network, so the
browser runs with ``--no-sandbox``.

Measured on the 2-core CI machine (Chromium 156, five starts, 25 pages): starting the browser
1.7-2.1 s (median 2.0 s), opening a small page 0.37-0.51 s (median 0.42 s, of which 0.3 s is the
wait for late scripts, ``settle``), quitting 0.2 s.
"""

from __future__ import annotations

import base64
import json
import os
import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

REQUIRE_ENV = "COPATENT_REQUIRE_BROWSER"
"""Set to 1 (CI does) to make a missing browser fail the browser tests instead of skipping them."""

LOCAL_SCHEMES = frozenset({"file", "data", "blob", "about"})
"""URL schemes that stay on the machine: anything else is a request that left the file."""

BLOCKED_URLS = ("http://*", "https://*", "ws://*", "wss://*", "ftp://*")

CHROMIUM_ARGS = (
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",  # /dev/shm is small in containers
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-default-apps",
    "--disable-extensions",
    "--disable-quic",
    "--host-resolver-rules=MAP * ~NOTFOUND",
    "--proxy-server=http://127.0.0.1:9",
    "--proxy-bypass-list=<-loopback>",
    "--force-webrtc-ip-handling-policy=disable_non_proxied_udp",
    "--hide-scrollbars",
)

# Installed before any script of each page: collects the page's CSP violations.
_RECORD_VIOLATIONS = """
window.__copatentViolations = [];
document.addEventListener("securitypolicyviolation", (e) => window.__copatentViolations.push(
  {url: e.blockedURI, directive: e.effectiveDirective, disposition: e.disposition}));
"""

_PAGE_FACTS = """
const images = Array.from(document.images).map((img, i) => ({
  name: img.id || img.alt || `image ${i + 1}`,
  src: (img.currentSrc || img.src || "").slice(0, 100),
  width: img.naturalWidth,
}));
return {
  title: document.title,
  text: document.body ? document.body.innerText : "",
  images: images,
  violations: window.__copatentViolations || [],
};
"""


def find_chromium() -> tuple[str, str] | str:
    """Paths of ``chromium`` and ``chromedriver``, or the reason they cannot be used."""
    chromium, driver = shutil.which("chromium"), shutil.which("chromedriver")
    missing = [
        name for name, path in (("chromium", chromium), ("chromedriver", driver)) if not path
    ]
    if chromium and driver:
        return chromium, driver
    return (
        f"{' and '.join(missing)} not found on PATH "
        "(Debian: apt-get install chromium chromium-driver)"
    )


@dataclass(frozen=True)
class Request:
    """A request the page made to something outside the file, and why it failed (None: loaded)."""

    url: str
    failure: str | None

    def __str__(self) -> str:
        return f"{self.url[:100]} ({self.failure or 'LOADED'})"


@dataclass(frozen=True)
class Image:
    """An ``<img>`` of the page: its id (or alt, or position), source and natural width."""

    name: str
    src: str
    width: int


@dataclass(frozen=True)
class Violation:
    """A Content-Security-Policy violation: what was refused, by which directive."""

    url: str
    directive: str
    disposition: str


@dataclass(frozen=True)
class PageReport:
    """What :meth:`Browser.open_page` saw on one page.

    ``screenshot`` works while this is the browser's current page (until the next
    :meth:`Browser.open_page`).
    """

    url: str
    title: str
    text: str
    requests: tuple[Request, ...]
    console_errors: tuple[str, ...]
    images: tuple[Image, ...]
    violations: tuple[Violation, ...]
    seconds: float
    _browser: Browser = field(repr=False, compare=False)
    _serial: int = field(repr=False, compare=False)

    @property
    def broken_images(self) -> tuple[Image, ...]:
        """Images with zero natural width: not loaded, blocked, or not an image."""
        return tuple(image for image in self.images if image.width == 0)

    @property
    def problems(self) -> list[str]:
        """Everything the browser test fails on, one line each; empty for a clean page."""
        return (
            [f"request left the file: {r}" for r in self.requests]
            + [f"console error: {m}" for m in self.console_errors]
            + [f"broken image: {i.name} ({i.src})" for i in self.broken_images]
            + [f"CSP refused {v.url} ({v.directive})" for v in self.violations]
        )

    def shows(self, text: str) -> bool:
        """Whether the page's visible text holds ``text`` (runs of white space count as one)."""
        return " ".join(text.split()) in " ".join(self.text.split())

    def screenshot(self, path: Path) -> Path:
        """Save a PNG of the whole page (not only the window) to ``path``."""
        self._browser.check_current(self)
        return self._browser.screenshot(path)

    def element_png(self, element_id: str) -> bytes:
        """PNG of the element with id ``element_id`` as drawn."""
        from selenium.webdriver.common.by import By

        self._browser.check_current(self)
        return self._browser.driver.find_element(By.ID, element_id).screenshot_as_png

    def run(self, script: str, *args: object, asynchronous: bool = False) -> Any:
        """Run JavaScript in the page (``asynchronous``: it calls its last argument when done)."""
        self._browser.check_current(self)
        driver = self._browser.driver
        execute = driver.execute_async_script if asynchronous else driver.execute_script
        return execute(script, *args)


class Browser:
    """One headless Chromium for a test session; :meth:`open_page` opens one page at a time."""

    def __init__(
        self,
        *,
        chromium: str,
        chromedriver: str,
        profile: Path,
        window: tuple[int, int] = (1280, 900),
        loopback: bool = False,
        env: dict[str, str] | None = None,
    ) -> None:
        """``loopback``: let the pages reach servers on 127.0.0.1 (Neo4j Browser and its
        server); every other host stays unreachable (no name resolves, every other connection
        goes to a closed proxy). ``env``: chromium's environment (e.g. ``FONTCONFIG_FILE``)."""
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service

        options = webdriver.ChromeOptions()
        options.binary_location = chromium
        for arg in CHROMIUM_ARGS:
            if loopback and arg.startswith("--proxy-bypass-list"):
                continue  # Chromium's default: loopback bypasses the (closed) proxy
            if loopback and arg.startswith("--host-resolver-rules"):
                arg = f"{arg}, EXCLUDE 127.0.0.1, EXCLUDE localhost"  # noqa: PLW2901
            options.add_argument(arg)
        options.add_argument(f"--window-size={window[0]},{window[1]}")
        options.add_argument(f"--user-data-dir={profile / 'profile'}")
        options.set_capability("goog:loggingPrefs", {"browser": "ALL", "performance": "ALL"})
        started = time.perf_counter()
        service = Service(chromedriver, log_output=str(profile / "chromedriver.log"), env=env)
        self.driver = webdriver.Chrome(service=service, options=options)
        try:
            self.driver.execute_cdp_cmd("Network.enable", {})
            if not loopback:
                blocked = {"urls": list(BLOCKED_URLS)}
                self.driver.execute_cdp_cmd("Network.setBlockedURLs", blocked)
            self.driver.execute_cdp_cmd(
                "Page.addScriptToEvaluateOnNewDocument", {"source": _RECORD_VIOLATIONS}
            )
        except Exception:
            self.driver.quit()
            raise
        self.start_seconds = time.perf_counter() - started
        self.open_seconds: list[float] = []
        self._serial = 0
        caps: dict[str, Any] = self.driver.capabilities
        self.version = (
            f"Chromium {caps.get('browserVersion', '?')}, chromedriver "
            f"{caps.get('chrome', {}).get('chromedriverVersion', '?').split(' ')[0]}"
        )

    def close(self) -> None:
        self.driver.quit()

    def __enter__(self) -> Browser:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def open_page(self, path: Path, *, settle: float = 0.3) -> PageReport:
        """Open the local file ``path``, wait for its load, its fonts and ``settle`` seconds more
        (for scripts that run late), and report what happened."""
        self.driver.get("about:blank")
        self.driver.get_log("performance")  # drain: only this page's events below
        self.driver.get_log("browser")
        self._serial += 1
        started = time.perf_counter()
        self.driver.get(path.resolve().as_uri())  # returns after the load event
        self.driver.execute_async_script("document.fonts.ready.then(() => arguments[0]())")
        time.sleep(settle)
        facts: dict[str, Any] = self.driver.execute_script(_PAGE_FACTS)
        seconds = time.perf_counter() - started
        self.open_seconds.append(seconds)
        console = tuple(
            str(entry["message"])
            for entry in self.driver.get_log("browser")
            if entry["level"] == "SEVERE"
        )
        return PageReport(
            url=path.resolve().as_uri(),
            title=facts["title"],
            text=facts["text"],
            requests=self._requests(),
            console_errors=console,
            images=tuple(Image(**image) for image in facts["images"]),
            violations=tuple(Violation(**v) for v in facts["violations"]),
            seconds=seconds,
            _browser=self,
            _serial=self._serial,
        )

    def _requests(self) -> tuple[Request, ...]:
        urls: dict[str, str] = {}
        failures: dict[str, str] = {}
        for entry in self.driver.get_log("performance"):
            message = json.loads(entry["message"])["message"]
            method, params = message["method"], message.get("params", {})
            if method == "Network.requestWillBeSent":
                urls.setdefault(params["requestId"], params["request"]["url"])
            elif method == "Network.webSocketCreated":
                urls.setdefault(params["requestId"], params["url"])
            elif method == "Network.loadingFailed":
                failures[params["requestId"]] = (
                    params.get("blockedReason") or params.get("errorText") or "failed"
                )
        return tuple(
            Request(url, failures.get(request_id))
            for request_id, url in urls.items()
            if url.split(":", 1)[0].lower() not in LOCAL_SCHEMES
        )

    def check_current(self, page: PageReport) -> None:
        if page._serial != self._serial:
            msg = f"{page.url} is no longer the browser's page: screenshot it before the next one"
            raise RuntimeError(msg)

    def screenshot(self, path: Path) -> Path:
        """PNG of the current page at its full height, through the DevTools protocol."""
        size = self.driver.execute_cdp_cmd("Page.getLayoutMetrics", {})["cssContentSize"]
        clip = {"x": 0, "y": 0, "width": size["width"], "height": size["height"], "scale": 1}
        shot = self.driver.execute_cdp_cmd(
            "Page.captureScreenshot",
            {"format": "png", "captureBeyondViewport": True, "clip": clip},
        )
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(base64.b64decode(shot["data"]))
        return path


def require_browser() -> bool:
    """Whether a missing browser must fail the tests (CI) rather than skip them."""
    return os.environ.get(REQUIRE_ENV, "") not in {"", "0"}
