"""The disclosure gate around the engine (``disclosure/``): household submissions checked as
background jobs (``submission``), the guard on ordinary resource uploads (``guard``), who may
download a release (``access``), and the e-mails about access requests (``notify``)."""
