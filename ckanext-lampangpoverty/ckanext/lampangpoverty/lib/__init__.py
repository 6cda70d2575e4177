"""Small shared tools with no concern of their own: the platform's one clock and its one
reader of list values."""
