"""Import of SEN2-shaped CSV files: one row per child, every row imported or none.

- `service.child_import_create` refuses oversize and non-UTF-8 uploads, stores the upload as a ChildImport and
  queues `ehcp.tasks.child_import_run` once the transaction commits.
- `validation.validate_rows` parses and checks the text of a file. It is pure: no database reads or writes.
- `service.child_import_run` validates the stored file and, when every row is good, writes all of them in one
  transaction (`writing.rows_write`), upserting children by case reference within the importer's partnership.

The columns (`columns.COLUMNS`) are documented in docs/sen2-csv.md and listed on the upload page.

The package's modules: `columns` (the columns and code tables), `rows` (what checking hands on), `validation`
(`validate_rows`), `writing` (`rows_write`), `service` (create and run an import), `selectors` (reads), and the
upload pages: `forms` (the upload form) and `views` (the upload page and one import's page).
"""
