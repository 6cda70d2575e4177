"""The public API as programs meet it: machine-friendly records, strict search parameters,
the changes feed, HTTP basics (gzip, CORS, ETag, rate limit, errors in the caller's
language), the nightly JSON Lines dump, the Atom feed's paging and the consumer guide with
its OpenAPI document."""
