"""The Neo4j Browser guide: what the server tells Browser on connect, the page, the guide server."""

from __future__ import annotations

import html.parser
import socket
import threading
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from copatent import guide, server
from copatent.guide import serve
from tests.unit.test_server_setup import _installation


class _Runnables(html.parser.HTMLParser):
    """The text of every ``<pre class="runnable">`` and the slides of a guide page."""

    def __init__(self) -> None:
        super().__init__()
        self.runnables: list[str] = []
        self.slides = 0
        self.svg = 0
        self.scripts = 0
        self._in: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.slides += tag == "slide"
        self.svg += tag == "svg"
        self.scripts += tag == "script"
        if tag == "pre" and "runnable" in (dict(attrs).get("class") or ""):
            self._in = []

    def handle_data(self, data: str) -> None:
        if self._in is not None:
            self._in.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "pre" and self._in is not None:
            self.runnables.append("".join(self._in))
            self._in = None


def test_the_conf_lets_browser_fetch_the_guide_and_runs_it_on_connect(tmp_path: Path) -> None:
    local = server.LocalServer(_installation(tmp_path), tmp_path / "instance")
    conf = local._render_conf(7687, 7474, browser=True, guide_port=7476)
    settings = dict(line.split("=", 1) for line in conf.splitlines() if not line.startswith("#"))
    assert settings["browser.remote_content_hostname_whitelist"] == "localhost,127.0.0.1"
    commands = [c.strip() for c in settings["browser.post_connect_cmd"].split(";")]
    # Browser 5.24 prefixes each with ":" itself (postConnectCmdEpic): none may carry one
    assert [c.split(" ", 1)[0] for c in commands] == ["params", "style", "guide"]
    assert commands[1] == "style http://127.0.0.1:7476/copatent.grass"
    assert commands[2] == "guide http://127.0.0.1:7476/copatent.html"
    assert settings["client.allow_telemetry"] == "false"
    # no guide port (no Browser): nothing about the guide
    assert "browser.post_connect_cmd" not in local._render_conf(7687, 7474, browser=False)


def test_params_are_a_cypher_map_of_the_guide_parameters() -> None:
    text = guide.cypher_map({"region": "北京市", "period": "2016-2020"})
    assert text == '{region: "北京市", period: "2016-2020"}'
    assert ";" not in guide.post_connect_command(7476).split("; style")[0]


def test_the_page_holds_every_guide_query_verbatim(tmp_path: Path) -> None:
    written = guide.render(tmp_path / "guide", port=7476)
    assert [p.name for p in written] == ["copatent.html", "copatent.grass"]
    page = _Runnables()
    page.feed(written[0].read_text(encoding="utf-8"))
    queries = guide.guide_queries()
    # the first runnable sets the parameters; then one per named query, in file order
    assert page.runnables[0] == f":params {guide.cypher_map(guide.GUIDE_PARAMS)}"
    assert page.runnables[1:] == [q.text for q in queries]
    assert page.slides == len(queries) + 2  # the model, one per query, going further
    assert page.svg == 1  # the model, inline: Browser's page policy allows no outside image
    assert page.scripts == 0
    assert (tmp_path / "guide").stat().st_mode & 0o077 == 0
    assert written[0].stat().st_mode & 0o077 == 0


def test_the_style_sheet_styles_every_tier_label_and_captions_positions() -> None:
    from importlib import resources

    grass = (resources.files("copatent.guide") / "templates" / "copatent.grass").read_text()
    assert "/*" not in grass  # Browser's GraSS parser has no comments
    for tier in range(1, 5):  # the default four classes (analytics.defaults.DEFAULT_CLASSES)
        assert f"node.Tier{tier} {{" in grass
    assert "node.Position { " in grass
    assert grass.count("{") == grass.count("}")


@pytest.fixture
def guide_server(tmp_path: Path) -> Iterator[str]:
    (tmp_path / "copatent.html").write_text("<title>guide</title>", encoding="utf-8")
    (tmp_path / "secret").mkdir()
    httpd = serve.make_server(str(tmp_path), server.free_port(), ["http://127.0.0.1:7474"])
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def _get(url: str, *, method: str = "GET", origin: str | None = None) -> tuple[int, dict[str, str]]:
    request = urllib.request.Request(url, method=method)  # noqa: S310
    if origin:
        request.add_header("Origin", origin)
    try:
        with urllib.request.urlopen(request, timeout=5) as response:  # noqa: S310
            return response.status, dict(response.headers)
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers)


def test_the_guide_server_allows_only_browsers_origin(guide_server: str) -> None:
    status, headers = _get(f"{guide_server}/copatent.html", origin="http://127.0.0.1:7474")
    assert status == 200
    assert headers["Access-Control-Allow-Origin"] == "http://127.0.0.1:7474"
    assert headers["Cache-Control"] == "no-cache"
    _, headers = _get(f"{guide_server}/copatent.html", origin="http://evil.example")
    assert "Access-Control-Allow-Origin" not in headers
    status, headers = _get(
        f"{guide_server}/copatent.html", method="OPTIONS", origin="http://127.0.0.1:7474"
    )
    assert status == 204
    assert headers["Access-Control-Allow-Methods"] == "GET, HEAD"


def test_the_guide_server_lists_nothing_and_serves_nothing_outside_its_folder(
    guide_server: str,
) -> None:
    assert _get(f"{guide_server}/")[0] == 404
    assert _get(f"{guide_server}/secret/")[0] == 404
    assert _get(f"{guide_server}/../../etc/passwd")[0] == 404
    assert _get(f"{guide_server}/copatent.html", method="POST")[0] == 501


def test_the_guide_port_is_bound_before_it_is_chosen_so_a_lost_race_takes_another(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two instances starting at once used to both write port 7476 into neo4j.conf: the port was
    only checked when chosen and bound after Neo4j answered. Now the guide binds it first, and a
    port another program takes between the check and the bind is given up for a free one."""
    local = server.LocalServer(_installation(tmp_path), tmp_path / "instance")
    for sub in ("run", "logs"):
        (tmp_path / "instance" / sub).mkdir(parents=True)
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        busy = taken.getsockname()[1]
        monkeypatch.setattr(server, "DEFAULT_GUIDE_PORT", busy)
        free = server._port_free
        monkeypatch.setattr(server, "_port_free", lambda port: port == busy or free(port))
        port = local._start_guide(http=7474)
        try:
            assert port != busy
            assert local.guide_pid() is not None
            assert _get(f"http://127.0.0.1:{port}/copatent.html")[0] == 200
        finally:
            local.stop_guide()
