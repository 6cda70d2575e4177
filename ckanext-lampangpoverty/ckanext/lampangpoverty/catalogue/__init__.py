"""The catalogue: our dataset types, Lampang's areas and their boundaries, the controlled
vocabularies, what the search index adds, and the RDF (DCAT, schema.org) profiles."""
