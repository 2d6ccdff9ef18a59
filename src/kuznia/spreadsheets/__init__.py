"""Spreadsheets in and out (pure: openpyxl and the scenario models, no database or web).

- :mod:`tables` describes each importable table (columns, units, example row), derived from the
  scenario models so that templates, readers and writers cannot drift from the format;
- :mod:`cells` turns one spreadsheet cell into a value (money never through a float it cannot
  represent exactly to the cent);
- :mod:`reading` streams rows from .csv and .xlsx (openpyxl read-only mode);
- :mod:`parsing` checks rows against the models and reports every problem with its row and column;
- :mod:`templates`, :mod:`workbook` and :mod:`plan_sheets` write workbooks and CSV files.
"""
