"""Small shared tools below every concern: the platform's one clock, its one reader of list
values, the site user, and the permission primitives on CKAN's own authorisation model."""
