"""The guide server: Neo4j Browser's guide and style, served to the Browser on 127.0.0.1.

Neo4j 5.26 serves Browser but no files of its own choosing, and Browser fetches a guide (``:guide
URL``) and a style (``:style URL``) with a cross-origin request to a host its server allows
(``browser.remote_content_hostname_whitelist``). This is the smallest server that fits: the
standard library's, bound to 127.0.0.1, answering GET and HEAD for the files of one folder (the
rendered guide, the style sheet, the model picture) and nothing else, with the CORS header for
the Browser origins it is given. :class:`copatent.server.LocalServer` starts it next to Neo4j::

    python -m copatent.guide.serve --directory DIR --port PORT --origin http://127.0.0.1:7474

The files hold queries and a style, never a secret; the folder is the instance's (0700).
"""

from __future__ import annotations

import argparse
import functools
import http.server
from collections.abc import Sequence


class GuideHandler(http.server.SimpleHTTPRequestHandler):
    """Files of one folder, with CORS for the Browser origins and no caching."""

    origins: frozenset[str] = frozenset()

    def end_headers(self) -> None:
        origin = self.headers.get("Origin")
        if origin in self.origins:
            self.send_header("Access-Control-Allow-Origin", origin)
            self.send_header("Vary", "Origin")
        self.send_header("Cache-Control", "no-cache")
        self.send_header("X-Content-Type-Options", "nosniff")
        super().end_headers()

    def do_OPTIONS(self) -> None:
        """Answer Browser's CORS preflight: GET and HEAD, with the headers it asks for."""
        self.send_response(204)
        self.send_header("Access-Control-Allow-Methods", "GET, HEAD")
        asked = self.headers.get("Access-Control-Request-Headers")
        if asked:
            self.send_header("Access-Control-Allow-Headers", asked)
        self.send_header("Access-Control-Max-Age", "600")
        self.end_headers()

    def list_directory(self, path: str | bytes) -> None:  # type: ignore[override]  # noqa: ARG002
        """No listing of the folder: only the files Browser asks for by name."""
        self.send_error(404, "no listing")

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        """Quiet: the server runs in the background with nobody reading its output."""


def make_server(
    directory: str, port: int, origins: Sequence[str]
) -> http.server.ThreadingHTTPServer:
    """The server of ``directory`` on 127.0.0.1:``port``, bound, not yet serving."""
    handler = type("Handler", (GuideHandler,), {"origins": frozenset(origins)})
    factory = functools.partial(handler, directory=directory)
    return http.server.ThreadingHTTPServer(("127.0.0.1", port), factory)


def serve(directory: str, port: int, origins: Sequence[str]) -> None:
    with make_server(directory, port, origins) as httpd:
        httpd.serve_forever()


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m copatent.guide.serve")
    parser.add_argument("--directory", required=True)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--origin", action="append", default=[])
    args = parser.parse_args(argv)
    serve(args.directory, args.port, args.origin)


if __name__ == "__main__":
    main()
