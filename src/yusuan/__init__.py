"""yusuan (预算): read, audit, author and analyse Chinese government budget disclosures."""

__version__ = "0.1.0"
