"""The registries: capabilities, needs (requirements), partners, companies, sites, proposals,
pledges and investments; their one listing, the scenario mapping and spreadsheet import."""
