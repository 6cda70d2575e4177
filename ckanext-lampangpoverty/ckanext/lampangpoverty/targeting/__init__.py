"""Precise targeting: aggregate indicators by area and year (checked against the area
indicator table schema and loaded from the DataStore), area profiles, needs against the
programmes that serve an area, and the DataStore policy that keeps household data out."""
