"""The disclosure model: frozen, typed, Decimal amounts, every cell with its location."""

from yusuan.model.document import (
    REQUIRED_BUDGET_TABLES,
    TABLE_IDS,
    Cell,
    Column,
    Disclosure,
    Indicator,
    Location,
    Paragraph,
    ParseNote,
    Project,
    Row,
    Section,
    SpendingStep,
    Table,
    TocEntry,
)

__all__ = [
    "REQUIRED_BUDGET_TABLES",
    "TABLE_IDS",
    "Cell",
    "Column",
    "Disclosure",
    "Indicator",
    "Location",
    "Paragraph",
    "ParseNote",
    "Project",
    "Row",
    "Section",
    "SpendingStep",
    "Table",
    "TocEntry",
]
