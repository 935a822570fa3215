"""Rows and bytes the engine's history and the application database keep per ended case (node_throughput, on
PostgreSQL)."""

from __future__ import annotations

from collections import Counter

from devstack.postgres import ThrowawayPostgres

# Over every act_hi_* table of cases (root_proc_inst_id_): the tables, the rows of the ended cases, all rows, and
# their bytes with indexes; then the byte arrays (Json variables) the ended cases keep.
HISTORY_TABLES = """
SELECT count(*),
  sum((xpath('/row/n/text()', query_to_xml(format('SELECT count(*) AS n FROM %I WHERE root_proc_inst_id_ IN
      (SELECT id_ FROM act_hi_procinst WHERE end_time_ IS NOT NULL AND proc_inst_id_ = id_)', table_name),
      false, true, '')))[1]::text::bigint),
  sum((xpath('/row/n/text()', query_to_xml(format('SELECT count(*) AS n FROM %I', table_name), false, true, '')))[1]
      ::text::bigint),
  sum(pg_total_relation_size(format('%I', table_name)::regclass))
FROM information_schema.columns WHERE column_name = 'root_proc_inst_id_' AND table_name LIKE 'act_hi_%'
"""
DOCUMENTS = "SELECT count(pdf), sum(octet_length(pdf)) FROM document"
BYTE_ARRAYS = """
SELECT count(*), coalesce(sum(octet_length(bytes_)), 0) FROM act_ge_bytearray WHERE root_proc_inst_id_ IN
  (SELECT id_ FROM act_hi_procinst WHERE end_time_ IS NOT NULL AND proc_inst_id_ = id_)
"""


def history_volume(server: ThrowawayPostgres, counts: Counter) -> str:
    """Rows and bytes the engine's history keeps per ended case (PostgreSQL only)."""
    level = server.psql("camunda", "SELECT value_ FROM act_ge_property WHERE name_ = 'historyLevel'")
    tables, rows_ended, rows_all, size = (int(v) for v in server.psql("camunda", HISTORY_TABLES).split("|"))
    arrays, array_bytes = (int(v) for v in server.psql("camunda", BYTE_ARRAYS).split("|"))
    cases = max(counts["ended_cases"], 1)
    per_row = size / max(rows_all, 1)
    per_case = (rows_ended * per_row + array_bytes) / cases
    documents, pdf_bytes = (int(v or 0) for v in server.psql("huiqi", DOCUMENTS).split("|"))
    return (
        f"history (level {level}, 3 = full): {rows_ended / cases:.0f} rows per ended case in {tables} act_hi_* tables "
        f"at {per_row:.0f} bytes per row with indexes, plus {arrays / cases:.0f} byte arrays "
        f"({array_bytes / cases / 1024:.1f} kB) → ~{per_case / 1024:.0f} kB per case\n"
        f"app database: {documents} PDF documents, {pdf_bytes / max(documents, 1) / 1024:.0f} kB each on average"
    )
