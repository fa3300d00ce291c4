"""The council's dataset workbooks, read and written in one place, without a database.

- `reading`: a workbook's sheets into tables of rows (headings, months, comparators), or
  `ImportRefused`; `collect`: what the tables say about each indicator;
- `layout_2019`: the 2019 layout, which both the reader and the exports follow;
- `writer`: the admin's export in the 2022 layout, which reads back unchanged.

Matching a file against the dataset is the import's plan (indicators.services.import_plan).
"""
