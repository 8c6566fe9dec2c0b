"""What copatent writes for people to open: the tables, as CSV files.

Every table goes through :func:`copatent.report.files.write_csv`: a temporary file in the same
folder, then a rename, so a file appears whole or not at all.
"""
