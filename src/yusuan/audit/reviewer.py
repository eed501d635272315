"""The checks a finance bureau's reviewers make that the other rule modules do not
(issue 12): class amounts in the explanation against the function table, year-on-year
percentages recomputed from the pair a sentence states, procurement and asset sums,
number formats."""

from __future__ import annotations
