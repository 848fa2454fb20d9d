"""What a ledger import remembers across the file, kept outside the Python heap.

The import checks rows against each other and against the agency's stored records: a
duplicate row, the row or stored case a 前序案号 names (and the order that creates it
first), the case a 开庭 row belongs to, the uniqueness rule's taken keys, a hearing
already stored or already in the file. Held in Python those indexes grow with the rows
(~0.5 KiB each even as digests); here they are tables of a private SQLite database on
disk (``sqlite3.connect("")``: a temporary file, deleted when the import closes it),
whose page cache is bounded (``CACHE_KIB``), so the import's memory is the same for
1,000 rows or 50,000. It is not the project's database: a dry run or an error rolls
the import back there while this index is simply dropped, and on PostgreSQL the
import needs no temporary table, no DDL and no extra round trips to the server.

The keys are the ledger's own: 案号 and 审理机关 compared loosely (``case_key``),
the uniqueness rule's exact strings, a hearing's case + kind + instant. Lookups are
one indexed statement each (a few microseconds; the statements are prepared once).
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Iterable, Iterator
from typing import Final

from casetracker.ledger_values import normalize_label, normalize_number

CaseKey = tuple[str, str]  # (案号, 审理机关) as the ledger compares them
HearingKey = tuple[int, str, int]  # (case pk, kind, instant in microseconds since the epoch)

# The page cache of the index (SQLite's own memory, outside the Python heap): pages
# beyond it are written to the temporary file (and read back through the OS's file
# cache). The index takes ~1.1 MiB for 3,000 rows with 1,800 hearings.
CACHE_KIB: Final = 2048
_PAGE: Final = 500  # rows fetched per statement when a pass walks the index

_EPOCH: Final = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)

_SCHEMA: Final = """
CREATE TABLE stored (number TEXT NOT NULL, body TEXT NOT NULL, pk INTEGER NOT NULL);
CREATE INDEX stored_key ON stored (number, body);
CREATE TABLE taken (body TEXT NOT NULL, number TEXT NOT NULL, PRIMARY KEY (body, number)) WITHOUT ROWID;
CREATE TABLE row (
    row INTEGER PRIMARY KEY, number TEXT NOT NULL, body TEXT NOT NULL, good INTEGER NOT NULL,
    previous TEXT, targets INTEGER, parent INTEGER, level INTEGER
);
CREATE UNIQUE INDEX row_key ON row (number, body);
CREATE INDEX row_parent ON row (parent) WHERE parent IS NOT NULL;
CREATE INDEX row_level ON row (level, row) WHERE level IS NOT NULL;
CREATE TABLE hearing (case_id INTEGER, kind TEXT, at INTEGER, pk INTEGER NOT NULL,
                      PRIMARY KEY (case_id, kind, at)) WITHOUT ROWID;
CREATE TABLE hearing_row (case_id INTEGER, kind TEXT, at INTEGER, row INTEGER NOT NULL,
                          PRIMARY KEY (case_id, kind, at)) WITHOUT ROWID;
"""


def case_key(reviewing_body: str, number: str) -> CaseKey:
    """A case's key as the ledger compares it: 案号 and 审理机关, brackets and spaces loosely."""
    return normalize_number(number), normalize_label(reviewing_body)


def number_key(number: str) -> str:
    """The 案号 part of ``case_key`` for a 案号 as typed."""
    return normalize_number(number)


def hearing_key(case_id: int, kind: str, when: dt.datetime) -> HearingKey:
    """A hearing's key (case, kind, time): the instant in microseconds, whatever its time zone."""
    return case_id, kind, (when - _EPOCH) // dt.timedelta(microseconds=1)


class LedgerIndex:
    """The import's cross-row indexes in a private temporary SQLite database; ``close()`` deletes it."""

    def __init__(self) -> None:
        self._db = sqlite3.connect("", isolation_level=None, check_same_thread=True)
        self._db.executescript(
            f"PRAGMA cache_size = -{CACHE_KIB}; PRAGMA temp_store = FILE; PRAGMA journal_mode = OFF;"
            " PRAGMA synchronous = OFF;" + _SCHEMA
        )
        self._db.execute("BEGIN")  # never committed: the index lives as long as the import
        self.taken = TakenKeys(self._db)

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> LedgerIndex:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ------------------------------------------------------------------ cases stored or created

    def load_stored(self, cases: Iterable[tuple[int, str, str]]) -> None:
        """(pk, 案号, 审理机关) of the agency's stored cases: their keys, loose and exact (``taken``)."""
        page: list[tuple[int, str, str]] = []
        for case in cases:
            page.append(case)
            if len(page) >= _PAGE:
                self._load(page)
                page = []
        self._load(page)

    def _load(self, page: list[tuple[int, str, str]]) -> None:
        self.remember((pk, case_key(body, number)) for pk, number, body in page)
        self.taken.add_many((body, number) for _pk, number, body in page)

    def remember(self, cases: Iterable[tuple[int, CaseKey]]) -> None:
        """(pk, key) of cases stored or just created."""
        self._db.executemany("INSERT INTO stored (number, body, pk) VALUES (?, ?, ?)", ((*key, pk) for pk, key in cases))

    def case_pk(self, key: CaseKey) -> int | None:
        """The stored or created case with this key (the latest remembered when two share it)."""
        found = self._db.execute(
            "SELECT pk FROM stored WHERE number = ? AND body = ? ORDER BY rowid DESC LIMIT 1", key
        ).fetchone()
        return None if found is None else int(found[0])

    def pks_of_number(self, number: str) -> set[int]:
        """The stored or created cases whose 案号 has this ``number_key``."""
        return {pk for (pk,) in self._db.execute("SELECT pk FROM stored WHERE number = ?", (number,))}

    # ------------------------------------------------------------------ the rows of sheet 1

    def add_row(self, row: int, key: CaseKey, *, good: bool, previous: str) -> int | None:
        """Index a row (good: it has no error of its own); the earlier row with the same key, if any."""
        if self._db.execute(
            "INSERT OR IGNORE INTO row (row, number, body, good, previous) VALUES (?, ?, ?, ?, ?)",
            (row, *key, int(good), number_key(previous) if previous else None),
        ).rowcount:
            return None
        (earlier,) = self._db.execute("SELECT row FROM row WHERE number = ? AND body = ?", key).fetchone()
        return int(earlier)

    def resolve_chains(self) -> tuple[list[tuple[int, int]], list[list[int]]]:
        """Give every good row its level: 0, or one below the row of the file its 前序案号 names.

        Returns the rows whose 前序案号 names no case (targets 0) or several (targets > 1),
        as (row, targets), and the loops of links (each its rows in the sheet's order). A row after one of those, or after a
        loop, gets no level and no error of its own (``unlinked``).
        """
        db = self._db
        # The distinct cases a 前序案号 may name: the other good rows with that 案号, and the
        # stored cases with it that are not one of those rows (a row updates its stored case).
        db.execute("""
            UPDATE row SET
                targets = (SELECT COUNT(*) FROM row p WHERE p.number = row.previous AND p.good AND p.row <> row.row)
                        + (SELECT COUNT(*) FROM stored s WHERE s.number = row.previous AND NOT EXISTS (
                               SELECT 1 FROM row p WHERE p.number = s.number AND p.body = s.body
                                                     AND p.good AND p.row <> row.row)),
                parent = (SELECT p.row FROM row p WHERE p.number = row.previous AND p.good AND p.row <> row.row
                          ORDER BY p.row LIMIT 1)
            WHERE good AND previous IS NOT NULL
        """)
        db.execute("UPDATE row SET parent = NULL WHERE parent IS NOT NULL AND targets <> 1")
        db.execute("UPDATE row SET level = 0 WHERE good AND (previous IS NULL OR (targets = 1 AND parent IS NULL))")
        depth = 0
        while db.execute(
            "UPDATE row SET level = ? WHERE level IS NULL AND parent IN (SELECT row FROM row WHERE level = ?)",
            (depth + 1, depth),
        ).rowcount:
            depth += 1
        unresolved = db.execute(
            "SELECT row, targets FROM row WHERE good AND previous IS NOT NULL AND targets <> 1 ORDER BY row"
        ).fetchall()
        return [(int(row), int(targets)) for row, targets in unresolved], self._cycles()

    def _cycles(self) -> list[list[int]]:
        """The loops among the rows left without a level: peel the rows no unlinked row follows."""
        db = self._db
        db.execute("UPDATE row SET level = -1 WHERE level IS NULL AND parent IS NOT NULL")  # unlinked so far
        while db.execute("""
            UPDATE row SET level = -2 WHERE level = -1 AND NOT EXISTS (
                SELECT 1 FROM row c WHERE c.parent = row.row AND c.level = -1)
        """).rowcount:
            pass
        cycles: list[list[int]] = []
        # What is left is loops only (each row's parent and one child are in its loop): few, short.
        while (start := db.execute("SELECT MIN(row) FROM row WHERE level = -1").fetchone()[0]) is not None:
            rows, row = [], start
            while True:
                rows.append(int(row))
                db.execute("UPDATE row SET level = -2 WHERE row = ?", (row,))
                (row,) = db.execute("SELECT parent FROM row WHERE row = ?", (row,)).fetchone()
                if row == start:
                    break
            cycles.append(sorted(rows))
        return cycles

    def unlinked(self) -> int:
        """How many good rows have no level (their chain has an error): none of them is applied."""
        return int(self._db.execute("SELECT COUNT(*) FROM row WHERE good AND (level IS NULL OR level < 0)").fetchone()[0])

    def levels(self) -> list[int]:
        return [int(level) for (level,) in self._db.execute("SELECT DISTINCT level FROM row WHERE level >= 0 ORDER BY level")]

    def rows_at(self, level: int) -> Iterator[int]:
        """The rows of one level in the sheet's order, a page at a time."""
        after = 0
        while page := self._db.execute(
            "SELECT row FROM row WHERE level = ? AND row > ? ORDER BY row LIMIT ?", (level, after, _PAGE)
        ).fetchall():
            for (row,) in page:
                yield int(row)
            after = page[-1][0]

    # ------------------------------------------------------------------ hearings

    def remember_hearings(self, hearings: Iterable[tuple[int, HearingKey]]) -> None:
        """(pk, key) of stored or just created hearings."""
        self._db.executemany(
            "INSERT OR REPLACE INTO hearing (case_id, kind, at, pk) VALUES (?, ?, ?, ?)",
            ((*key, pk) for pk, key in hearings),
        )

    def hearing_pk(self, key: HearingKey) -> int | None:
        found = self._db.execute("SELECT pk FROM hearing WHERE case_id = ? AND kind = ? AND at = ?", key).fetchone()
        return None if found is None else int(found[0])

    def add_hearing_row(self, key: HearingKey, row: int) -> int | None:
        """Note that the 开庭 row names this hearing; the earlier row that named it, if any."""
        if self._db.execute(
            "INSERT OR IGNORE INTO hearing_row (case_id, kind, at, row) VALUES (?, ?, ?, ?)", (*key, row)
        ).rowcount:
            return None
        (earlier,) = self._db.execute(
            "SELECT row FROM hearing_row WHERE case_id = ? AND kind = ? AND at = ?", key
        ).fetchone()
        return int(earlier)


class TakenKeys:
    """The uniqueness rule's taken (审理机关, 案号) pairs, exactly as stored: ``AgencyLookups.taken`` in the index."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self._db = db

    def add(self, key: tuple[object, ...]) -> None:
        self._db.execute("INSERT OR IGNORE INTO taken (body, number) VALUES (?, ?)", key)

    def add_many(self, keys: Iterable[tuple[str, str]]) -> None:
        self._db.executemany("INSERT OR IGNORE INTO taken (body, number) VALUES (?, ?)", keys)

    def __contains__(self, key: object) -> bool:
        if not (isinstance(key, tuple) and len(key) == 2):
            return False
        return self._db.execute("SELECT 1 FROM taken WHERE body = ? AND number = ?", key).fetchone() is not None
