"""Import of SEN2-shaped CSV files: one row per child, every row imported or none.

- `child_import_create` refuses oversize and non-UTF-8 uploads, stores the upload as a ChildImport and queues
  `ehcp.tasks.child_import_run` once the transaction commits.
- `validate_rows` parses and checks the text of a file. It is pure: no database reads or writes.
- `child_import_run` validates the stored file and, when every row is good, writes all of them in one
  transaction (`rows_write`), upserting children by case reference within the importer's partnership.

The columns (COLUMNS) are documented in docs/sen2-csv.md and listed on the upload page.

The package's modules: `columns` (the columns and code tables), `rows` (what checking hands on), `validation`
(`validate_rows`), `writing` (`rows_write`), `service` (create and run an import) and `selectors` (reads).
Import the package, not its modules: `from ehcp import imports`.
"""

from ehcp.imports.columns import COLUMN_BY_NAME, COLUMNS, Column
from ehcp.imports.rows import BATCH_ROWS, RowError, Sen2Row, Validation
from ehcp.imports.selectors import child_import_get_for_user, child_imports_for_user
from ehcp.imports.service import CHECK_SHARE, child_import_create, child_import_run, decode_upload, size_label
from ehcp.imports.validation import parse_date, validate_rows
from ehcp.imports.writing import rows_write

__all__ = [
    "BATCH_ROWS",
    "CHECK_SHARE",
    "COLUMNS",
    "COLUMN_BY_NAME",
    "Column",
    "RowError",
    "Sen2Row",
    "Validation",
    "child_import_create",
    "child_import_get_for_user",
    "child_import_run",
    "child_imports_for_user",
    "decode_upload",
    "parse_date",
    "rows_write",
    "size_label",
    "validate_rows",
]
