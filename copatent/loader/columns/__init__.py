"""Built-in column maps, ``<name>.toml``: see :func:`copatent.loader.sources.builtin_column_map`."""
