"""The disclosure-control gate for household microdata: read a table (``table``), find
direct identifiers (``detect``), measure re-identification risk (``measure``), transform to
a safe release (``transform``) and report what was done (``report``). Pure Python on pandas:
no CKAN import, so the same code runs in the background job, the tests and ``bench/``."""
