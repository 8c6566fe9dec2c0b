"""``copatent browser``: how to get into Neo4j Browser on the local server, and its guide."""

from __future__ import annotations

from typing import Annotated

import typer

from copatent.commands._options import HomeOption, JsonOption
from copatent.commands._output import console, emit_json


def browser(
    show_password: Annotated[
        bool,
        typer.Option(
            "--show-password", help="Also print the password (it is never printed unasked)."
        ),
    ] = False,
    open_browser: Annotated[
        bool, typer.Option("--open", help="Open Neo4j Browser in the system's web browser.")
    ] = False,
    home: HomeOption = None,
    as_json: JsonOption = False,
) -> None:
    """Start the local server if needed and say how to log into Neo4j Browser.

    Prints Browser's address (with the connect URL and user filled in), the user name, where the
    password is (a file only you can read) and the guide, which opens on connect: the graph
    model, then one-click queries for the study's questions, with the copatent style.
    """
    import webbrowser  # noqa: PLC0415

    from copatent import server  # noqa: PLC0415
    from copatent._errors import ServerError  # noqa: PLC0415
    from copatent.config import DEFAULT_USER  # noqa: PLC0415

    local = server.LocalServer.default(home)
    with console.status("starting Neo4j", spinner="dots"):
        status = local.start()
    if status.browser_url is None:
        raise ServerError(
            f"the installation under {local.installation.root} has no Neo4j Browser: "
            "reinstall it with `copatent db install`"
        )
    url = f"{status.browser_url}?dbms={status.uri.replace('://', f'://{DEFAULT_USER}@', 1)}"
    result: dict[str, object] = {
        "url": url,
        "connect_url": status.uri,
        "user": DEFAULT_USER,
        "password_file": str(local.password_file),
        "guide": status.guide_url,
    }
    if show_password:
        result["password"] = local.settings().password
    opened = webbrowser.open(url) if open_browser else None
    if as_json:
        emit_json(result | ({"opened": opened} if open_browser else {}))
        return
    password = result.get("password") or (
        f"in {local.password_file} (readable by you only; --show-password prints it)"
    )
    guide = (
        f"opens when you connect; if it does not, type  :guide {status.guide_url}"
        if status.guide_url
        else "none on this server yet (an older copatent started it): run `copatent db stop`, "
        "then `copatent browser`"
    )
    # plain lines, not a table: the addresses must stay whole to be copied
    typer.echo(f"Neo4j Browser: {url}")
    for key, value in (
        ("connect URL", status.uri),
        ("user", DEFAULT_USER),
        ("password", password),
        ("guide", guide),
    ):
        typer.echo(f"  {key:<12} {value}")
    if open_browser and not opened:
        typer.echo("no web browser to open here: open the address above yourself")
