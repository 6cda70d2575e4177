"""Partner harvesting: one module per kind of source, shared HTTP safety in ``base``."""
