"""Tools for contributors and the office: scaffolding a quarter, issuing a report, CODEOWNERS,
the web form, the Word import, a pull request's content for CI."""
