"""The disclosure-control gate for household microdata: read a table (``table``), propose a
role and a recode for every column (``propose``; identifiers by ``detect``, record and
household keys by ``keys``), and transform it to a release (``transform``): numeric sensitive
values coded (``numeric``), quasi-identifiers recoded by the generalisation hierarchy level
(``hierarchy``) that the lattice search (``search``, nodes measured by ``evaluate``) finds to
meet every threshold with the least information lost, then measured again (``measure``),
judged (``checks``) and reported (``report``); ``plan`` offers the editor alternatives and
per-column costs. Pure Python on pandas and numpy: no CKAN import, so the same code runs in
the background job, the tests and ``bench/``."""
