"""The choices the commands offer, spelled here so that ``--help`` needs no service module.

Each list is the same as the one the services use (a test holds them equal): the registries
(``services.registries.catalogue.REGISTRIES``), the importable kinds
(``spreadsheets.tables.TABLE_KINDS``) and the OCDS tiers
(``services.open_data.ocds_processes.Tier``).
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
    CAPACITY_PROJECTS = "capacity_projects"
    PLEDGES = "pledges"
    INVESTMENTS = "investments"


class Kind(StrEnum):
    """Kinds importable one table at a time: the workbook's, in the order it is imported, and
    capacity projects."""

    CAPABILITIES = "capabilities"
    REQUIREMENTS = "requirements"
    PROPOSALS = "proposals"
    PLEDGES = "pledges"
    PROJECTS = "projects"


class Tier(StrEnum):
    PUBLIC = "public"
    CONFIDENTIAL = "confidential"
