"""Reading the repository: safe YAML, front matter, schemas and their messages, the loader, text hygiene and the file cache."""
