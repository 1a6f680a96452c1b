"""The report in other formats: PDF (and Word)."""
