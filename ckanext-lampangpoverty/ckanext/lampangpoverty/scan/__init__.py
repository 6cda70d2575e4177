"""Reading uploaded files by their content, within bounds: text tables in any Thai encoding,
spreadsheets, JSON/GeoJSON, documents and archives (members read recursively). Used by the
upload guard (identifier scan) and the disclosure gate (one strict table). No CKAN import."""
