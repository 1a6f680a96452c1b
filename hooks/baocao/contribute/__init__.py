"""Tools for contributors and the office: scaffolding a quarter, CODEOWNERS."""
