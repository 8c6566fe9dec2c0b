"""copatent: innovation-collaboration networks from patent data, in Neo4j."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("copatent")
except PackageNotFoundError:  # pragma: no cover - running from a source tree without install
    __version__ = "0.0.0"

__all__ = ["__version__"]
