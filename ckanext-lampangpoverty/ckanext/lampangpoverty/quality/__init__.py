"""Is this data still true? Freshness of every record, validation of tabular resources, link
health, and a quality score made of them (issue 15). Modules: statuses (the constants),
freshness (HDX's rule, pure), completeness and score (pure), state (what the hooks record),
validation and links (background jobs), passes (the daily pass and scheduler), digest (the
weekly e-mail), index (search fields), dcat (DCAT terms), labels (words for readers)."""
