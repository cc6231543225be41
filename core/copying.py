"""Rows sent to PostgreSQL's COPY while the caller is still producing them.

An import checks its file row by row in Python, then writes. Written at the end, the database
sits idle while Python checks, and Python sits idle while the database stores the rows (100k
servants: ~4.5 s of checking, then ~2 s of COPY). A `CopyStream` opened before the checking
sends each row as soon as it is checked; PostgreSQL stores it on its own core while Python
checks the next one, so the COPY has little left to do when the checking ends.

The rows belong to the caller's transaction like any other write: a file that turns out to
have a bad row is rolled back whole, streamed rows included.
"""

from collections.abc import Sequence

from django.db import DEFAULT_DB_ALIAS, connections


class CopyStream:
    """A COPY into one table kept open across calls to `write` (PostgreSQL only).

    A connection runs nothing else while a COPY is open. Inside `with stream:` the stream
    guards its connection (Django's execute wrapper): any statement run through Django — a
    query, a savepoint — first ends the COPY, waiting for the server to store what was sent;
    the next `write` opens a new COPY. `end()` does the same by hand; leaving the block ends
    the COPY, or aborts it when the block raised (the transaction then rolls back anyway).
    A raw cursor of the same connection is not guarded: end the stream before using one."""

    def __init__(self, table: str, columns: Sequence[str], *, using: str = DEFAULT_DB_ALIAS):
        self.connection = connections[using]
        quote = self.connection.ops.quote_name
        self.sql = f"COPY {quote(table)} ({', '.join(map(quote, columns))}) FROM STDIN"
        self.rows = 0
        self._cursor = None
        self._block = None  # psycopg's `cursor.copy()` block, open
        self._copy = None
        self._guard = None

    def __enter__(self):
        self._guard = self.connection.execute_wrapper(self._before_statement)
        self._guard.__enter__()
        return self

    def __exit__(self, exc_type, exc, traceback):
        try:
            self._finish(exc)
        finally:
            self._guard.__exit__(exc_type, exc, traceback)
            self._guard = None

    def write(self, row: Sequence) -> None:
        if self._copy is None:
            self.connection.ensure_connection()
            self._cursor = self.connection.connection.cursor()
            self._block = self._cursor.copy(self.sql)
            self._copy = self._block.__enter__()
        self._copy.write_row(row)
        self.rows += 1

    def end(self) -> None:
        """Ends the open COPY, if any, once the server has stored every row sent."""
        self._finish(None)

    def _finish(self, exc) -> None:
        block, cursor = self._block, self._cursor
        self._block = self._copy = self._cursor = None
        if block is None:
            return
        try:
            if exc is None:
                block.__exit__(None, None, None)
            else:
                block.__exit__(type(exc), exc, exc.__traceback__)
        finally:
            cursor.close()

    def _before_statement(self, execute, sql, params, many, context):
        self.end()
        return execute(sql, params, many, context)
