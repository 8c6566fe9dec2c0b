"""The analytics' default settings.

A module without heavy imports, so that the command line can show them in ``--help`` before any
of numpy, pandas or igraph is loaded.
"""

from __future__ import annotations

from typing import Final

DEFAULT_SEED: Final = 42
"""Seed of Louvain's and Leiden's node orders and of sampled betweenness."""

DEFAULT_BETWEENNESS_SOURCES: Final = 2000
"""Both engines: a network of more nodes gets betweenness estimated from this many sampled sources
(:mod:`copatent.analytics.centrality`); at most this many, exact."""

DEFAULT_RESTARTS: Final = 10
"""Louvain (and Leiden) runs per network; the best by modularity is kept."""

DEFAULT_CLASSES: Final = 4
"""Natural-break classes of the tiers (DESIGN.md item 8)."""

MAX_CLASSES: Final = 10
"""The most natural-break classes the commands that publish accept: the graph carries a node's
tier as one of the labels ``Tier1`` ... ``Tier10`` (``copatent/cypher/publish/tier_labels``), a
closed set because a label cannot be a query parameter."""

DEFAULT_DEPTH: Final = 2
"""CONCOR splits: up to 2^depth blocks (DESIGN.md item 10)."""
