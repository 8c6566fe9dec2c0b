"""``copatent db``: install, start, stop and inspect the local Neo4j + GDS server."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Annotated

import typer

from copatent.commands._options import (
    DEFAULT_CONNECTION,
    Connection,
    HomeOption,
    JsonOption,
    grouped,
)
from copatent.commands._output import console, emit_json, key_values

if TYPE_CHECKING:
    from copatent import server

app = typer.Typer(help="The local Neo4j 5.26 + Graph Data Science server.", no_args_is_help=True)


def _show(status: server.Status, *, as_json: bool, title: str) -> None:
    if as_json:
        emit_json(status.as_dict())
        return
    key_values(
        title,
        {
            "running": "yes" if status.running else "no",
            "pid": status.pid,
            "uri": status.uri,
            "browser": status.browser_url,
            "guide": status.guide_url,
            "neo4j": status.neo4j_version and f"{status.neo4j_version} ({status.edition})",
            "gds": status.gds_version,
            "data directory": status.data_dir,
            "installation": status.home if status.installed else f"{status.home} (not installed)",
        },
    )


def _make_private(local: server.LocalServer) -> None:
    """Make the instance folder 0700 and its content owner-only; say so if that changed it."""
    changed = local.make_private()
    if changed:
        typer.echo(
            f"copatent: made {local.directory} private to you "
            f"({changed} of its files and folders were open to other users)",
            err=True,
        )


@app.command()
def install(home: HomeOption = None, as_json: JsonOption = False) -> None:
    """Resolve Neo4j and Graph Data Science from Maven Central into COPATENT_HOME.

    The jars stay readable by every user; the instance folder (data, logs, conf) is created 0700.
    """
    from copatent import server  # noqa: PLC0415

    started = time.monotonic()
    with console.status("installing", spinner="dots") as spinner:
        inst, downloaded = server.install(server.default_installation(home), on_step=spinner.update)
    seconds = round(time.monotonic() - started, 1)
    result = {
        "installation": str(inst.root),
        "neo4j": server.NEO4J_VERSION,
        "gds": server.GDS_VERSION,
        "changed": downloaded,
        "seconds": seconds,
    }
    _make_private(server.LocalServer.default(home))
    if as_json:
        emit_json(result)
    elif downloaded:
        console.print(
            f"installed Neo4j {server.NEO4J_VERSION} + GDS {server.GDS_VERSION} "
            f"in {inst.root} ({seconds} s)"
        )
    else:
        console.print(f"already installed in {inst.root}")


@app.command()
def start(
    port: Annotated[
        int | None, typer.Option(help="Bolt port on 127.0.0.1 (default: last used, else 7687).")
    ] = None,
    http_port: Annotated[
        int | None,
        typer.Option(help="HTTP port for Neo4j Browser (default: last used, else 7474)."),
    ] = None,
    home: HomeOption = None,
    as_json: JsonOption = False,
) -> None:
    """Start the server in the background and wait until GDS answers.

    A server that already runs is left as it is; asking it for other ports is an error (stop it
    first). The instance's folders and files are made readable by you only.
    """
    from copatent import server  # noqa: PLC0415

    local = server.LocalServer.default(home)
    if local.directory.exists():
        _make_private(local)
    with console.status("starting Neo4j", spinner="dots"):
        status = local.start(bolt_port=port, http_port=http_port)
    _show(status, as_json=as_json, title="copatent db: running")


@app.command()
def stop(home: HomeOption = None, as_json: JsonOption = False) -> None:
    """Shut the server down cleanly."""
    from copatent import server  # noqa: PLC0415

    stopped = server.LocalServer.default(home).stop()
    if as_json:
        emit_json({"stopped": stopped})
    else:
        console.print("stopped" if stopped else "not running")


@app.command()
def status(home: HomeOption = None, as_json: JsonOption = False) -> None:
    """Say whether the server runs, with its pid, URI, versions and data directory."""
    from copatent import server  # noqa: PLC0415

    _show(server.LocalServer.default(home).status(), as_json=as_json, title="copatent db status")


@app.command()
@grouped
def ping(connection: Connection = DEFAULT_CONNECTION, as_json: JsonOption = False) -> None:
    """Connect to the configured server (NEO4J_URI, else the local one) and print its versions."""
    from copatent import db  # noqa: PLC0415

    settings = connection.settings()
    versions = db.server_versions(settings)
    result = {"uri": settings.uri, "user": settings.user, "database": settings.database, **versions}
    if as_json:
        emit_json(result)
    else:
        key_values("copatent db ping", result)
