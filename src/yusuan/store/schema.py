"""The database schema: base tables (every stored version) and the views analysts query.

The base tables keep every version of every document; the views ``documents``, ``facts``,
``findings`` and ``doc_tables`` show only the current version of each document, so that a
query never counts a replaced document twice. ``docs/store.md`` prints the SQL of every
view from :data:`VIEWS` (``python -m yusuan.store.schema`` writes that section).
"""

from __future__ import annotations

#: 2: ``document_models.model_zlib`` (zlib-compressed JSON, a BLOB) replaced
#: ``model_json`` (VARCHAR): DuckDB compresses long strings with ZSTD per vector, so
#: fetching one model decompressed all those stored before it (~40 ms on 1,000 documents);
#: a store of version 1 is migrated when opened for writing (``Store._migrate``).
SCHEMA_VERSION = 2

#: Base tables, created in this order.
TABLES: dict[str, str] = {
    "meta": """
        CREATE TABLE IF NOT EXISTS meta (
            key VARCHAR PRIMARY KEY,
            value VARCHAR
        )""",
    "document_versions": """
        CREATE TABLE IF NOT EXISTS document_versions (
            id VARCHAR PRIMARY KEY,          -- first 16 hex digits of the content's sha256
            content_hash VARCHAR NOT NULL,   -- sha256 of the file's bytes
            source VARCHAR NOT NULL,         -- the path (or upload name) as given
            format VARCHAR,                  -- md, pdf, xlsx, docx, html
            size_bytes BIGINT,
            department VARCHAR,
            department_code VARCHAR,
            region VARCHAR,
            year INTEGER,
            kind VARCHAR,                    -- 预算 / 决算
            scope VARCHAR,                   -- 部门 / 单位
            title VARCHAR,
            pages INTEGER,
            version_key VARCHAR NOT NULL,    -- department|year|kind|scope: what a new version replaces
            ingested_at TIMESTAMP NOT NULL,
            superseded_by VARCHAR,           -- id of the version that replaced this one
            superseded_at TIMESTAMP,
            audited BOOLEAN NOT NULL,        -- false when the audit was not available
            errors INTEGER NOT NULL,
            warnings INTEGER NOT NULL,
            infos INTEGER NOT NULL,
            n_tables INTEGER NOT NULL,
            n_facts INTEGER NOT NULL,
            parse_seconds DOUBLE,
            -- key figures in 元 (NULL when the document does not show them)
            income_total DECIMAL(24,4),
            expenditure_total DECIMAL(24,4),
            basic_total DECIMAL(24,4),
            project_total DECIMAL(24,4),
            general_total DECIMAL(24,4),
            personnel DECIMAL(24,4),
            public_funds DECIMAL(24,4),
            three_public_total DECIMAL(24,4),
            abroad DECIMAL(24,4),
            vehicles DECIMAL(24,4),
            vehicle_purchase DECIMAL(24,4),
            vehicle_operation DECIMAL(24,4),
            reception DECIMAL(24,4),
            operation_funds DECIMAL(24,4)    -- 机关运行经费 as stated
        )""",
    "document_models": """
        CREATE TABLE IF NOT EXISTS document_models (
            document_id VARCHAR PRIMARY KEY,
            -- zlib of the Disclosure's JSON (Store.model_json); stored as is: DuckDB would
            -- otherwise pick ZSTD, and fetch one row by decompressing the rows before it
            model_zlib BLOB USING COMPRESSION uncompressed NOT NULL
        )""",
    "all_tables": """
        CREATE TABLE IF NOT EXISTS all_tables (
            document_id VARCHAR NOT NULL,
            table_index INTEGER NOT NULL,
            table_id VARCHAR NOT NULL,
            title VARCHAR,
            unit VARCHAR,
            pages VARCHAR,
            n_rows INTEGER,
            n_facts INTEGER,
            is_empty BOOLEAN,
            note VARCHAR,
            project_code VARCHAR,
            project_name VARCHAR
        )""",
    "all_facts": """
        CREATE TABLE IF NOT EXISTS all_facts (
            document_id VARCHAR NOT NULL,
            table_index INTEGER NOT NULL,
            row_index INTEGER NOT NULL,
            column_index INTEGER NOT NULL,
            file VARCHAR,
            table_id VARCHAR NOT NULL,
            title VARCHAR,
            page INTEGER,
            row_seq VARCHAR,
            code VARCHAR,
            item VARCHAR,
            column_path VARCHAR,
            side VARCHAR,
            value VARCHAR,                   -- as printed, without thousands separators
            unit VARCHAR,
            amount DECIMAL(24,4),            -- in the printed unit
            yuan DECIMAL(24,4),              -- in 元
            code_level VARCHAR,              -- 类 / 款 / 项
            classification VARCHAR           -- function / economic
        )""",
    "all_findings": """
        CREATE TABLE IF NOT EXISTS all_findings (
            document_id VARCHAR NOT NULL,
            seq INTEGER NOT NULL,
            rule VARCHAR NOT NULL,
            severity VARCHAR NOT NULL,
            message VARCHAR,
            tables VARCHAR[],
            section VARCHAR,
            expected VARCHAR,
            actual VARCHAR,
            cells_json VARCHAR
        )""",
    "all_claims": """
        CREATE TABLE IF NOT EXISTS all_claims (
            document_id VARCHAR NOT NULL,
            seq INTEGER NOT NULL,
            subject VARCHAR NOT NULL,        -- total / basic / project / three_public
            prior_year INTEGER,
            direction VARCHAR,               -- 增加 / 减少 / 持平
            change_yuan DECIMAL(24,4),       -- signed change in 元 as the text states it
            text VARCHAR
        )""",
    "web_pages": """
        CREATE TABLE IF NOT EXISTS web_pages (
            key VARCHAR PRIMARY KEY,         -- path?query|r or |w (may the client write)
            depends VARCHAR NOT NULL,        -- 'doc:<id>', 'dept:<department>' or '' (any write)
            status INTEGER NOT NULL,
            headers VARCHAR NOT NULL,        -- JSON list of [name, value] (latin-1)
            body BLOB NOT NULL               -- zlib-compressed, CSRF marker in place of the token
        )""",
    "ingest_failures": """
        CREATE TABLE IF NOT EXISTS ingest_failures (
            content_hash VARCHAR PRIMARY KEY,
            source VARCHAR NOT NULL,
            reason VARCHAR NOT NULL,
            failed_at TIMESTAMP NOT NULL
        )""",
}

INDEXES: tuple[str, ...] = (
    "CREATE INDEX IF NOT EXISTS idx_versions_key ON document_versions(version_key)",
    "CREATE INDEX IF NOT EXISTS idx_versions_hash ON document_versions(content_hash)",
)

#: Views, in creation order: name → (what it answers, SQL).
VIEWS: dict[str, tuple[str, str]] = {
    "documents": (
        "One row per stored document (the current version of each).",
        """
        SELECT * EXCLUDE (superseded_by, superseded_at)
        FROM document_versions
        WHERE superseded_by IS NULL""",
    ),
    "facts": (
        "One row per amount cell of the current documents: the CSV facts of the contract "
        "(`file, table, title, page, row, code, item, column, value, unit`) plus the value in "
        "元 (`yuan`), the document's identity and the code's level.",
        """
        SELECT f.document_id, f.file, f.table_id AS "table", f.title, f.page,
               f.row_seq AS "row", f.code, f.item, f.column_path AS "column", f.value,
               f.unit, f.amount, f.yuan, f.side, f.code_level, f.classification,
               f.table_id, f.row_seq, f.column_path, f.table_index, f.row_index,
               f.column_index, d.department, d.region, d.year, d.kind, d.scope
        FROM all_facts f JOIN documents d ON d.id = f.document_id""",
    ),
    "findings": (
        "The audit's findings on the current documents.",
        """
        SELECT x.*, d.department, d.region, d.year, d.kind, d.scope, d.source
        FROM all_findings x JOIN documents d ON d.id = x.document_id""",
    ),
    "doc_tables": (
        "The tables of the current documents (one row per table as published).",
        """
        SELECT t.*, d.department, d.year FROM all_tables t
        JOIN documents d ON d.id = t.document_id""",
    ),
    "department_figures": (
        "Compare departments: the key figures of each current document in 元, with the "
        "shares an analyst asks for first.",
        """
        SELECT id AS document_id, department, region, year, kind, scope,
               expenditure_total, basic_total, project_total, personnel, public_funds,
               three_public_total, abroad, vehicles, vehicle_purchase, vehicle_operation,
               reception, operation_funds,
               round(personnel / nullif(basic_total, 0), 4) AS personnel_share_of_basic,
               round(personnel / nullif(expenditure_total, 0), 4) AS personnel_share,
               round(project_total / nullif(expenditure_total, 0), 4) AS project_share,
               round(three_public_total / nullif(expenditure_total, 0), 6) AS three_public_share,
               errors, warnings, infos
        FROM documents""",
    ),
    "function_spending": (
        "Spending by function class (类/款/项) of each current document, from the 支出总表 "
        "(`expenditure`), in 元.",
        """
        SELECT document_id, department, region, year, kind, scope, code, code_level,
               any_value(item) AS name,
               sum(yuan) FILTER (WHERE column_path IN ('合计', '总计')) AS total,
               sum(yuan) FILTER (WHERE column_path LIKE '%基本支出%') AS basic,
               sum(yuan) FILTER (WHERE column_path LIKE '%项目支出%') AS project
        FROM facts
        WHERE table_id = 'expenditure' AND code IS NOT NULL
        GROUP BY ALL""",
    ),
    "economic_spending": (
        "Basic expenditure by economic class (类/款) of each current document, from the "
        "一般公共预算财政拨款基本支出表, in 元.",
        """
        SELECT document_id, department, region, year, kind, scope, code, code_level,
               any_value(item) AS name,
               sum(yuan) FILTER (WHERE column_path LIKE '%合计') AS total,
               sum(yuan) FILTER (WHERE column_path LIKE '%人员经费%') AS personnel,
               sum(yuan) FILTER (WHERE column_path LIKE '%公用经费%') AS public_funds
        FROM facts
        WHERE table_id = 'general_basic_expenditure' AND code IS NOT NULL
        GROUP BY ALL""",
    ),
    "department_years": (
        "A department over the years: each year's figures beside the previous year's "
        "(same kind and scope), with the change.",
        """
        SELECT department, region, kind, scope, year, document_id,
               expenditure_total, basic_total, project_total, three_public_total,
               lag(year) OVER w AS prior_year,
               lag(expenditure_total) OVER w AS prior_expenditure_total,
               expenditure_total - lag(expenditure_total) OVER w AS change_total,
               basic_total - lag(basic_total) OVER w AS change_basic,
               project_total - lag(project_total) OVER w AS change_project,
               three_public_total - lag(three_public_total) OVER w AS change_three_public,
               round((expenditure_total - lag(expenditure_total) OVER w)
                     / nullif(lag(expenditure_total) OVER w, 0), 4) AS change_total_rate
        FROM department_figures
        WINDOW w AS (PARTITION BY department, kind, scope ORDER BY year)""",
    ),
    "claims": (
        "Changes against last year as the explanations state them, beside the change "
        "computed from the stored documents of both years (NULL when last year's document "
        "is not stored). `agrees` is false when they differ by more than 0.01 万元.",
        """
        SELECT c.document_id, d.department, d.year, c.subject, c.prior_year, c.direction,
               c.change_yuan AS claimed_change,
               CASE c.subject
                 WHEN 'total' THEN d.expenditure_total - p.expenditure_total
                 WHEN 'basic' THEN d.basic_total - p.basic_total
                 WHEN 'project' THEN d.project_total - p.project_total
                 WHEN 'three_public' THEN d.three_public_total - p.three_public_total
               END AS computed_change,
               abs(claimed_change - computed_change) <= 100 AS agrees,
               c.text
        FROM all_claims c
        JOIN documents d ON d.id = c.document_id
        LEFT JOIN documents p ON p.department = d.department AND p.kind = d.kind
             AND p.scope = d.scope AND p.year = c.prior_year""",
    ),
    "outliers": (
        "Outliers: documents whose share of personnel, projects or 三公 lies far from the "
        "other documents of the same year (robust z-score over the median absolute "
        "deviation, |z| > 3.5).",
        """
        WITH long AS (
            SELECT document_id, department, year, metric, value FROM department_figures
            UNPIVOT (value FOR metric IN (personnel_share, project_share, three_public_share))
        ), stats AS (
            SELECT year, metric, median(value) AS med,
                   median(abs(value - med)) AS mad, count(*) AS n
            FROM (SELECT *, median(value) OVER (PARTITION BY year, metric) AS med FROM long)
            GROUP BY year, metric
        )
        SELECT l.document_id, l.department, l.year, l.metric, l.value, s.med AS median,
               s.mad, round(0.6745 * (l.value - s.med) / s.mad, 2) AS robust_z, s.n
        FROM long l JOIN stats s USING (year, metric)
        WHERE s.n >= 5 AND s.mad > 0 AND abs(0.6745 * (l.value - s.med) / s.mad) > 3.5""",
    ),
    "finding_summary": (
        "How often each rule fires on the current documents.",
        """
        SELECT rule, severity, count(*) AS findings, count(DISTINCT document_id) AS documents
        FROM findings GROUP BY rule, severity""",
    ),
    "failures": (
        "Files that could not be ingested, with the reason (in Chinese).",
        "SELECT * FROM ingest_failures",
    ),
}


def create_statements() -> list[str]:
    """Every statement that creates the schema, idempotent."""
    out = [sql.strip() for sql in TABLES.values()]
    out.extend(INDEXES)
    out.extend(
        f"CREATE OR REPLACE VIEW {name} AS {sql.strip()}" for name, (_, sql) in VIEWS.items()
    )
    return out


def markdown() -> str:
    """The views section of ``docs/store.md``: each view's purpose and SQL."""
    parts = []
    for name, (what, sql) in VIEWS.items():
        body = "\n".join(line[8:] if line.startswith(" " * 8) else line
                         for line in sql.strip("\n").splitlines())
        parts.append(f"### `{name}`\n\n{what}\n\n```sql\n{body.strip()}\n```\n")
    return "\n".join(parts)


if __name__ == "__main__":  # pragma: no cover
    print(markdown())
