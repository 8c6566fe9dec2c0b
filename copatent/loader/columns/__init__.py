"""Built-in column maps, ``<name>.toml``: see :func:`copatent.loader.readers.builtin_column_map`."""
