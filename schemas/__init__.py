"""Scheming schemas and table schemas, loaded as ckanext.lampangpoverty.schemas:<file>."""
