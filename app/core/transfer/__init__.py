"""Import and export for every register of the registry (app.core.registry).

- ``sheets``: files in and out — an XLSX or CSV upload read as rows (streamed; formulas, binary
  files, wrong encodings refused), an export or template written as XLSX or CSV;
- ``columns``: what a register exports (the columns its list shows) and imports (its add and
  edit columns and its natural key), and which column a header names, in any language;
- ``cells``: a value as a cell (labels, names, Shanghai time, typed) and a cell as a value
  (labels or codes, yes/no, dates as people type them, related records by their natural key);
- ``importer``: a file's rows planned against the database — create, update, unchanged or
  refused, row by row with the reasons — and then written through the one write path
  (``RecordCommands.import_rows``: one transaction, the same checks and history as one write);
- ``jobs`` / ``models``: the background job an upload becomes (progress, preview, confirm);
- ``views``: the list page's export, template and import routes; ``cli``: ``flask records``.

Core reads registers only through the registry: nothing here imports a register.
"""
