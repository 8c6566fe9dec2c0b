"""``copatent db``: install, start, stop and inspect the local Neo4j + GDS server."""

from __future__ import annotations

import time
from typing import Annotated

import typer

from copatent import db, server
from copatent.commands._output import console, emit_json, key_values

app = typer.Typer(help="The local Neo4j 5.26 + Graph Data Science server.", no_args_is_help=True)

JsonOption = Annotated[bool, typer.Option("--json", help="Print the result as JSON.")]


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
            "neo4j": status.neo4j_version and f"{status.neo4j_version} ({status.edition})",
            "gds": status.gds_version,
            "data directory": status.data_dir,
            "installation": status.home if status.installed else f"{status.home} (not installed)",
        },
    )


@app.command()
def install(as_json: JsonOption = False) -> None:
    """Resolve Neo4j and Graph Data Science from Maven Central into COPATENT_HOME."""
    started = time.monotonic()
    with console.status("installing", spinner="dots") as spinner:
        inst, downloaded = server.install(on_step=spinner.update)
    seconds = round(time.monotonic() - started, 1)
    result = {
        "installation": str(inst.root),
        "neo4j": server.NEO4J_VERSION,
        "gds": server.GDS_VERSION,
        "changed": downloaded,
        "seconds": seconds,
    }
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
    as_json: JsonOption = False,
) -> None:
    """Start the server in the background and wait until GDS answers."""
    local = server.LocalServer.default()
    with console.status("starting Neo4j", spinner="dots"):
        status = local.start(bolt_port=port, http_port=http_port)
    _show(status, as_json=as_json, title="copatent db: running")


@app.command()
def stop(as_json: JsonOption = False) -> None:
    """Shut the server down cleanly."""
    stopped = server.LocalServer.default().stop()
    if as_json:
        emit_json({"stopped": stopped})
    else:
        console.print("stopped" if stopped else "not running")


@app.command()
def status(as_json: JsonOption = False) -> None:
    """Say whether the server runs, with its pid, URI, versions and data directory."""
    _show(server.LocalServer.default().status(), as_json=as_json, title="copatent db status")


@app.command()
def ping(as_json: JsonOption = False) -> None:
    """Connect to the configured server (NEO4J_URI, else the local one) and print its versions."""
    settings = server.connection_settings()
    versions = db.server_versions(settings)
    result = {"uri": settings.uri, "user": settings.user, "database": settings.database, **versions}
    if as_json:
        emit_json(result)
    else:
        key_values("copatent db ping", result)
