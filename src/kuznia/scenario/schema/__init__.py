"""JSON Schemas of the exchange formats, generated from the models by ``schemas.py``."""
