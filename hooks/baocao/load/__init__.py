"""Reading the repository: safe YAML, front matter, the Vietnamese messages of schema errors,
the JSON Schema files (``schemafiles``), the seal's file names (``sealfiles``), the layout, the
loader, text hygiene and the file cache. The schemas themselves are :mod:`baocao.schemas`."""
