"""Where applicants sit: the institution gazetteer, place names in names, the user's tables.

An applicant is placed by the first of these that knows it (``method``), with the matched entry
or text kept as ``evidence``:

1. ``places``: the user's own table (``--places FILE.csv``), which overrides everything;
2. ``columns``: the export's region columns;
3. ``address``: the applicant's address;
4. ``gazetteer``: the institution gazetteer shipped in ``data/gazetteer/`` (universities, research
   institutes, state-owned groups and their subsidiaries);
5. ``name``: a place name inside the name (:mod:`copatent.places.inname`);
6. unplaced, with the reason and any candidates.

The modules here are pure: tables in, tables out; the loader reads the files and records the
result.
"""
