"""Open data: OCDS release packages and the public feeds."""
