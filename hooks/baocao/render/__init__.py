"""Pages of the site: the plan of pages, their Markdown and HTML, tables, charts and links."""
