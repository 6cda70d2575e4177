"""How the portal writes and reads dates and times for its readers (calendar, time zone)."""
