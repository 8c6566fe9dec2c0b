"""A generated export loaded with ``--bulk`` into a fresh server instance, for the benchmarks."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from copatent import server
from copatent.loader import bulk, pipeline, writer
from copatent.sample import generator as sample


@contextmanager
def loaded_instance(size: int, *, seed: int, name: str) -> Iterator[server.LocalServer]:
    """``size`` generated patents (``seed``) in a started instance on free ports; stopped after.

    Heap 1–4 GB, page cache 2 GB; the instance and the CSV live in a temporary folder.
    """
    server.install()
    with tempfile.TemporaryDirectory(prefix="copatent-bench-") as tmp:
        work = Path(tmp)
        csv_file = work / "sample.csv"
        sample.write(sample.generate(size, seed=seed), csv_file)
        local = server.LocalServer(
            server.default_installation(), work / "server", memory=server.Memory("1g", "4g", "2g")
        )
        local.start(bolt_port=server.free_port(), http_port=server.free_port())
        try:
            prepared = pipeline.prepare_files([csv_file], keywords=pipeline.default_keywords())
            bulk.bulk_write(local, prepared, key=writer.load_key([csv_file], {"bench": name}))
            yield local
        finally:
            local.stop()
