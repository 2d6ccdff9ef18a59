"""The choices the commands offer, spelled here so that ``--help`` needs no service module.

Each list is the same as the one the services use (a test holds them equal): the registries
(``services.registries.catalogue.REGISTRIES``), the importable kinds
(``spreadsheets.tables.KINDS``) and the OCDS tiers (``services.open_data.ocds_processes.Tier``).
"""

from __future__ import annotations

from enum import StrEnum


class RegistryName(StrEnum):
    CAPABILITIES = "capabilities"
    REQUIREMENTS = "requirements"
    PARTNERS = "partners"
    COMPANIES = "companies"
    SITES = "sites"
    PROPOSALS = "proposals"
    PLEDGES = "pledges"
    INVESTMENTS = "investments"


class Kind(StrEnum):
    """Importable kinds, in the order a workbook is imported."""

    CAPABILITIES = "capabilities"
    REQUIREMENTS = "requirements"
    PROPOSALS = "proposals"
    PLEDGES = "pledges"


class Tier(StrEnum):
    PUBLIC = "public"
    CONFIDENTIAL = "confidential"
