"""ISO 3166-1 alpha-2 country codes (``countries.csv``): the 249 officially assigned codes and
``EU``, exceptionally reserved for the European Union (a partner of the mechanism). Generated
once from the CLDR territory list; user-assigned and other reserved codes are left out."""
