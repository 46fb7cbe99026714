"""Presentation: everything that turns the store's records into something a reader sees.

- `export`: the JSON export (the public contract) and its JSONL/CSV tables;
- `views`: plain, JSON-ready view models for each page, built from export-shaped records;
- `pages`: the Jinja2 environment, URL builders and `highlight`, the only place where article
  text becomes HTML;
- `report`: the self-contained HTML report, the same pages in one file.

The pipeline writes the export and the report from here, and the web app (`storyline.web`)
renders the same views with the same templates, so the two never drift apart; nothing in this
package imports the web app.
"""
