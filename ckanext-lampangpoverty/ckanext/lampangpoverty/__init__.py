"""CKAN extension of the Lampang Poverty Open Data Platform."""
