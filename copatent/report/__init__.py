"""What copatent writes for people to open: the tables, as CSV files.

Every table goes through :func:`copatent.files.write_tables`: the files of one run are written
whole into a hidden folder and renamed into place together, so the folder holds the previous set
or the new one; text that a spreadsheet could run as a formula is escaped.
"""
