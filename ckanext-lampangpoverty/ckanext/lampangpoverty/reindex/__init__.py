"""Rebuilding the search index in parallel (``ckan lampangpoverty reindex``): worker processes
with a database connection each, Solr updates in batches with one commit at the end, progress
kept in Redis so a killed run resumes, and a closing check of the index against the
database."""
