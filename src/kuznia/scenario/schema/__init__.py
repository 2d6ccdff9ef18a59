"""JSON Schemas of the exchange formats, generated from the models (see ``kuznia.scenario.schemas``)."""
