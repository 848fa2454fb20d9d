"""Rows handed to a hand-written statement come back exactly as given (issue 17's set-based sweep)."""

from __future__ import annotations

from django.db import connection

from cases.services.sql_rows import rows_source

TRICKY = [
    (1, "plain", None),
    (2, 'a "quoted" word, {braces}, a back\\slash', "line one\nline two"),
    (3, "NULL", ""),
    (None, "【期限今日届满】(2025)京01行初1号", "案件:(2025)京01行初1号(张三)\n依据:《行政诉讼法》第六十七条 100%"),
]


def read_back(rows, *, reserve=0):
    found = []
    with connection.cursor() as cursor:
        for source, params in rows_source(("bigint", "varchar", "text"), rows, reserve=reserve):
            cursor.execute(f"WITH x (n, s, t) AS ({source}) SELECT n, s, t FROM x", params)
            found += [tuple(row) for row in cursor.fetchall()]
    return found


def test_integers_strings_and_nulls_come_back_as_they_were_given(db):
    assert read_back(TRICKY) == TRICKY


def test_more_rows_than_one_statement_takes_come_back_in_order(db):
    rows = [(i, f"s{i}", None) for i in range(1500)]
    assert read_back(rows, reserve=100) == rows
