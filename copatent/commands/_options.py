"""Options shared by several commands, declared once.

A command that takes a group of options declares one parameter of the group's type and gets the
whole group as one object; :func:`grouped` puts the group's options into the command's signature
for typer and packs the parsed values:

- :class:`~copatent.loader.options.ExportOptions`: ``--columns``, ``--topic``, ``--keywords``,
  ``--drop-policy``, ``--places``, ``--thesaurus`` (``load``, and the memory engine of
  ``analyze``, ``subgroups``, ``detect``);
- :class:`~copatent.engines.settings.EngineSettings`: ``--engine``, ``--input``, ``--seed``,
  ``--restarts``, ``--betweenness-sources`` and the export options;
- :class:`Connection`: ``NEO4J_URI``, ``NEO4J_USER``, ``NEO4J_PASSWORD``, ``COPATENT_HOME`` as
  options with those environment variables, for every command that connects.

:class:`OnceCommand` refuses an option given twice unless it accumulates (``--period``,
``--scale``, ``--factors``, ...): otherwise the last one would silently win.

Nothing here imports more than typer and the standard library, so ``--help`` starts at once.
"""

from __future__ import annotations

import dataclasses
import functools
import inspect
from collections import Counter
from collections.abc import Callable
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Final, TypeVar

import typer
from typer.core import TyperCommand

from copatent._errors import InputError
from copatent.analytics.defaults import DEFAULT_RESTARTS, DEFAULT_SEED
from copatent.analytics.periods import (
    DEFAULT_PERIODS,
    REGION_SCALES,
    SCALES,
    Period,
    Scale,
)
from copatent.engines.settings import DEFAULT_BETWEENNESS_SOURCES, EngineSettings
from copatent.loader.options import ExportOptions

if TYPE_CHECKING:
    from copatent.config import Neo4jSettings
    from copatent.server import LocalServer

F = TypeVar("F", bound=Callable[..., Any])

JsonOption = Annotated[bool, typer.Option("--json", help="Print the results as JSON.")]


# --------------------------------------------------------------------------------------------
# scales and periods


class ScaleChoice(StrEnum):
    province = "province"
    city = "city"
    applicant = "applicant"
    all = "all"


class RegionScale(StrEnum):
    """The regional scales a command can take; ``all`` is both."""

    province = "province"
    city = "city"
    all = "all"


def chosen_scales(values: list[ScaleChoice] | list[RegionScale] | None) -> tuple[Scale, ...]:
    """The scales of repeated ``--scale`` options in their order; ``all`` is every scale."""
    every = SCALES if values and isinstance(values[0], ScaleChoice) else REGION_SCALES
    found: list[Scale] = []
    for value in values or ():
        found += every if value.value == "all" else [value.value]  # type: ignore[list-item]
    return tuple(dict.fromkeys(found))


def chosen_periods(
    values: list[str] | None, default: tuple[Period, ...] = DEFAULT_PERIODS
) -> tuple[Period, ...]:
    """The periods of repeated ``--period START-END`` options; none, or ``all``: ``default``."""
    if not values or values == ["all"]:
        return default
    return tuple(dict.fromkeys(Period.parse(v) for v in values))


# --------------------------------------------------------------------------------------------
# the export options


def _file_option(name: str, text: str) -> inspect.Parameter:
    """An optional ``--NAME FILE`` that must be an existing file."""
    return inspect.Parameter(
        name,
        inspect.Parameter.KEYWORD_ONLY,
        default=None,
        annotation=Annotated[Path | None, typer.Option(exists=True, dir_okay=False, help=text)],
    )


class TopicChoice(StrEnum):
    rare_earth = "rare-earth"
    none = "none"


class PolicyChoice(StrEnum):
    patent = "patent"
    applicant = "applicant"


_EXPORT = (
    inspect.Parameter(
        "columns",
        inspect.Parameter.KEYWORD_ONLY,
        default=None,
        annotation=Annotated[
            str | None,
            typer.Option(
                help="Column map: a built-in name (incopat, patsnap) or a TOML file. "
                "Default: incopat."
            ),
        ],
    ),
    inspect.Parameter(
        "topic",
        inspect.Parameter.KEYWORD_ONLY,
        default=TopicChoice.rare_earth,
        annotation=Annotated[
            TopicChoice, typer.Option(help="Topic filter: the rare-earth keyword list, or none.")
        ],
    ),
    _file_option("keywords", "Keyword file replacing the topic list."),
    inspect.Parameter(
        "drop_policy",
        inspect.Parameter.KEYWORD_ONLY,
        default=PolicyChoice.patent,
        annotation=Annotated[
            PolicyChoice,
            typer.Option(
                help="patent: drop patents with a natural person or foreign applicant; "
                "applicant: drop only those applicants."
            ),
        ],
    ),
    _file_option(
        "places",
        "Your table of where applicants sit (CSV: name and adcode, or name and address); it "
        "overrides every other way of placing them.",
    ),
    _file_option(
        "thesaurus",
        "Name thesaurus (VOSviewer's 'label' and 'replace by' columns): merges name variants "
        "when the exports are read.",
    ),
)


def _export(values: dict[str, Any]) -> ExportOptions:
    return ExportOptions(
        columns=values["columns"],
        topic=TopicChoice(values["topic"]).value,
        keywords=values["keywords"],
        drop_policy=PolicyChoice(values["drop_policy"]).value,
        places=values["places"],
        thesaurus=values["thesaurus"],
    )


# --------------------------------------------------------------------------------------------
# the engine settings


class EngineChoice(StrEnum):
    neo4j = "neo4j"
    memory = "memory"


_ENGINE = (
    inspect.Parameter(
        "engine",
        inspect.Parameter.KEYWORD_ONLY,
        default=EngineChoice.neo4j,
        annotation=Annotated[
            EngineChoice,
            typer.Option(
                help="neo4j: Cypher + Graph Data Science on the loaded graph; "
                "memory: pandas + igraph on the exports given with --input, no server."
            ),
        ],
    ),
    inspect.Parameter(
        "inputs",
        inspect.Parameter.KEYWORD_ONLY,
        default=None,
        annotation=Annotated[
            list[Path] | None,
            typer.Option(
                "--input",
                exists=True,
                readable=True,
                help="Export file or folder (--engine memory), repeatable.",
            ),
        ],
    ),
    *_EXPORT,
    inspect.Parameter(
        "restarts",
        inspect.Parameter.KEYWORD_ONLY,
        default=DEFAULT_RESTARTS,
        annotation=Annotated[
            int,
            typer.Option(
                min=1, help="Louvain (and Leiden) runs per network; the best by modularity is kept."
            ),
        ],
    ),
    inspect.Parameter(
        "seed",
        inspect.Parameter.KEYWORD_ONLY,
        default=DEFAULT_SEED,
        annotation=Annotated[
            int,
            typer.Option(
                help="Seed of Louvain's and Leiden's node orders and of sampled betweenness."
            ),
        ],
    ),
    inspect.Parameter(
        "betweenness_sources",
        inspect.Parameter.KEYWORD_ONLY,
        default=DEFAULT_BETWEENNESS_SOURCES,
        annotation=Annotated[
            int,
            typer.Option(
                min=1,
                help="Networks with more nodes get betweenness estimated from this many sampled "
                "source nodes (both engines; said in the output).",
            ),
        ],
    ),
)


def _engine(values: dict[str, Any]) -> EngineSettings:
    engine = EngineChoice(values["engine"])
    inputs = tuple(values["inputs"] or ())
    if (engine is EngineChoice.memory) != bool(inputs):
        raise InputError(
            "--engine memory reads the exports: give them with --input"
            if engine is EngineChoice.memory
            else "--input is for --engine memory; the neo4j engine analyses what was loaded"
        )
    return EngineSettings(
        name=engine.value,
        inputs=inputs,
        export=_export(values),
        seed=values["seed"],
        restarts=values["restarts"],
        betweenness_sources=values["betweenness_sources"],
    )


# --------------------------------------------------------------------------------------------
# the connection


@dataclasses.dataclass(frozen=True)
class Connection:
    """Where a command connects: ``uri`` (an existing server) or the local server in ``home``."""

    uri: str | None = None
    user: str | None = None
    password: str | None = dataclasses.field(default=None, repr=False)
    home: Path | None = None

    def settings(self) -> Neo4jSettings:
        """The server's settings (the local server's password read from its 0600 file)."""
        from copatent import server  # noqa: PLC0415 (the driver)

        return server.connection_settings(
            uri=self.uri, user=self.user, password=self.password, home=self.home
        )

    def local_server(self) -> LocalServer:
        """The local server under ``home`` (``COPATENT_HOME``)."""
        from copatent import server  # noqa: PLC0415 (the driver)

        return server.LocalServer.default(self.home)


HomeOption = Annotated[
    Path | None,
    typer.Option(
        envvar="COPATENT_HOME",
        show_envvar=True,
        file_okay=False,
        help="Where the local server is installed and keeps its data (default ~/.cache/copatent).",
    ),
]


_CONNECTION = (
    inspect.Parameter(
        "neo4j_uri",
        inspect.Parameter.KEYWORD_ONLY,
        default=None,
        annotation=Annotated[
            str | None,
            typer.Option(
                envvar="NEO4J_URI",
                show_envvar=True,
                help="An existing Neo4j 5 + GDS server: bolt://host:port (or bolt+s, bolt+ssc, "
                "neo4j, neo4j+s, neo4j+ssc), with no user or password in it; unset: the local "
                "server.",
            ),
        ],
    ),
    inspect.Parameter(
        "neo4j_user",
        inspect.Parameter.KEYWORD_ONLY,
        default=None,
        annotation=Annotated[
            str | None,
            typer.Option(
                envvar="NEO4J_USER", show_envvar=True, help="User for --neo4j-uri (default neo4j)."
            ),
        ],
    ),
    inspect.Parameter(
        "neo4j_password",
        inspect.Parameter.KEYWORD_ONLY,
        default=None,
        annotation=Annotated[
            str | None,
            typer.Option(
                envvar="NEO4J_PASSWORD",
                show_envvar=True,
                show_default=False,
                help="Password for --neo4j-uri; prefer the environment variable (a flag shows "
                "in the process list). The local server's is read from its 0600 file.",
            ),
        ],
    ),
    inspect.Parameter("home", inspect.Parameter.KEYWORD_ONLY, default=None, annotation=HomeOption),
)


def _connection(values: dict[str, Any]) -> Connection:
    return Connection(
        uri=values["neo4j_uri"] or None,
        user=values["neo4j_user"] or None,
        password=values["neo4j_password"],
        home=values["home"],
    )


DEFAULT_EXPORT: Final = ExportOptions()
DEFAULT_ENGINE: Final = EngineSettings()
DEFAULT_CONNECTION: Final = Connection()
"""Placeholders for a command's group parameters: :func:`grouped` replaces them by options."""

_GROUPS: dict[type, tuple[tuple[inspect.Parameter, ...], Callable[[dict[str, Any]], Any]]] = {
    ExportOptions: (_EXPORT, _export),
    EngineSettings: (_ENGINE, _engine),
    Connection: (_CONNECTION, _connection),
}


def grouped(func: F) -> F:
    """Replace each parameter typed as an option group by the group's options (see module)."""
    signature = inspect.signature(func, eval_str=True)
    parameters: list[inspect.Parameter] = []
    groups: dict[str, tuple[tuple[str, ...], Callable[[dict[str, Any]], Any]]] = {}
    for parameter in signature.parameters.values():
        if parameter.annotation in _GROUPS:
            options, build = _GROUPS[parameter.annotation]
            parameters += options
            groups[parameter.name] = (tuple(o.name for o in options), build)
        else:
            parameters.append(parameter)

    @functools.wraps(func)
    def command(**values: Any) -> Any:
        for name, (options, build) in groups.items():
            mine = {option: values[option] for option in options}
            values[name] = build(mine)
        taken = {o for options, _ in groups.values() for o in options}
        return func(**{k: v for k, v in values.items() if k not in taken or k in groups})

    command.__signature__ = signature.replace(  # type: ignore[attr-defined]
        parameters=sorted(parameters, key=lambda p: p.kind)
    )
    command.__annotations__ = {p.name: p.annotation for p in parameters} | {
        "return": signature.return_annotation
    }
    return command  # type: ignore[return-value]


class OnceCommand(TyperCommand):
    """A command that refuses an option given twice unless the option accumulates values."""

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        if not ctx.resilient_parsing:
            _, _, order = self.make_parser(ctx).parse_args(args=list(args))
            counts = Counter(param.name for param in order)
            for param in self.get_params(ctx):
                if (
                    counts[param.name] > 1
                    and getattr(param, "param_type_name", "") == "option"
                    and not getattr(param, "multiple", False)
                    and not getattr(param, "count", False)
                ):
                    flag = max(param.opts, key=len)
                    raise typer.BadParameter(
                        "given more than once; give it once", ctx=ctx, param_hint=flag
                    )
        return super().parse_args(ctx, args)
