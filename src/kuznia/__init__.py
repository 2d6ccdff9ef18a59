"""kuznia: the information system behind an international defence-production mechanism."""

__version__ = "0.1.0"
