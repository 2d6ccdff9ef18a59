"""Countries of the demo: partners, currencies, exchange rates and city coordinates.

Partners are the Ramstein / UDCG participants (50+ countries, demo-facts.md), the EU and Ukraine.
Exchange rates are rounded mid-2025 levels, as base-currency (EUR) units per one unit.
City coordinates are public city centres; sites are scattered a few kilometres around them.
"""

from __future__ import annotations

from dataclasses import dataclass

BASE_CURRENCY = "EUR"

# EUR per one unit of each currency (rounded; the demo is notional).
FX_RATES: dict[str, str] = {
    "EUR": "1",
    "USD": "0.92",
    "GBP": "1.17",
    "DKK": "0.134",
    "SEK": "0.087",
    "NOK": "0.085",
    "ISK": "0.0067",
    "CAD": "0.66",
    "UAH": "0.022",
    "PLN": "0.234",
    "CZK": "0.0398",
    "RON": "0.201",
    "HUF": "0.0025",
    "JPY": "0.0061",
    "KRW": "0.00066",
    "AUD": "0.6",
    "NZD": "0.55",
    "CHF": "1.06",
}


@dataclass(frozen=True, slots=True)
class Country:
    code: str
    name: str
    currency: str
    legal_form: str
    cities: tuple[tuple[str, float, float], ...]


def _c(
    code: str, name: str, currency: str, form: str, *cities: tuple[str, float, float]
) -> Country:
    return Country(code, name, currency, form, cities)


# fmt: off
COUNTRIES: tuple[Country, ...] = (
    _c("UA", "Ukraine", "UAH", "TOV", ("Kyiv", 50.45, 30.52), ("Lviv", 49.84, 24.03),
        ("Dnipro", 48.46, 35.05), ("Kharkiv", 49.99, 36.23), ("Zaporizhzhia", 47.84, 35.14),
        ("Vinnytsia", 49.23, 28.47), ("Poltava", 49.59, 34.55), ("Zhytomyr", 50.25, 28.66),
        ("Cherkasy", 49.44, 32.06), ("Ivano-Frankivsk", 48.92, 24.71), ("Ternopil", 49.55, 25.59),
        ("Rivne", 50.62, 26.25), ("Lutsk", 50.75, 25.33), ("Khmelnytskyi", 49.42, 26.99),
        ("Chernivtsi", 48.29, 25.94), ("Uzhhorod", 48.62, 22.29), ("Odesa", 46.48, 30.72),
        ("Mykolaiv", 46.98, 31.99), ("Kropyvnytskyi", 48.51, 32.26), ("Sumy", 50.91, 34.8),
        ("Chernihiv", 51.49, 31.29)),
    _c("US", "United States", "USD", "Inc.", ("Huntsville", 34.73, -86.59),
        ("Tucson", 32.22, -110.97), ("Scranton", 41.41, -75.66)),
    _c("GB", "United Kingdom", "GBP", "Ltd", ("Birmingham", 52.49, -1.89),
        ("Glasgow", 55.86, -4.25)),
    _c("DE", "Germany", "EUR", "GmbH", ("Unterluess", 52.84, 10.3), ("Munich", 48.14, 11.58),
        ("Kassel", 51.31, 9.48)),
    _c("FR", "France", "EUR", "SAS", ("Bourges", 47.08, 2.4), ("Toulouse", 43.6, 1.44)),
    _c("IT", "Italy", "EUR", "S.p.A.", ("Turin", 45.07, 7.69)),
    _c("ES", "Spain", "EUR", "S.A.", ("Seville", 37.39, -5.98)),
    _c("NL", "Netherlands", "EUR", "B.V.", ("Eindhoven", 51.44, 5.47)),
    _c("BE", "Belgium", "EUR", "NV", ("Liege", 50.63, 5.57)),
    _c("LU", "Luxembourg", "EUR", "S.a r.l.", ("Luxembourg", 49.61, 6.13)),
    _c("DK", "Denmark", "DKK", "A/S", ("Vojens", 55.25, 9.3), ("Odense", 55.4, 10.39)),
    _c("SE", "Sweden", "SEK", "AB", ("Karlskoga", 59.33, 14.52), ("Linkoping", 58.41, 15.62)),
    _c("NO", "Norway", "NOK", "AS", ("Raufoss", 60.73, 10.61)),
    _c("FI", "Finland", "EUR", "Oy", ("Tampere", 61.5, 23.79)),
    _c("IS", "Iceland", "ISK", "ehf.", ("Reykjavik", 64.15, -21.94)),
    _c("EE", "Estonia", "EUR", "OU", ("Tallinn", 59.44, 24.75)),
    _c("LV", "Latvia", "EUR", "SIA", ("Riga", 56.95, 24.11)),
    _c("LT", "Lithuania", "EUR", "UAB", ("Kaunas", 54.9, 23.89)),
    _c("PL", "Poland", "PLN", "sp. z o.o.", ("Rzeszow", 50.04, 22.0),
        ("Stalowa Wola", 50.58, 22.05)),
    _c("CZ", "Czechia", "CZK", "s.r.o.", ("Brno", 49.2, 16.61)),
    _c("SK", "Slovakia", "EUR", "s.r.o.", ("Dubnica nad Vahom", 48.96, 18.17)),
    _c("RO", "Romania", "RON", "S.R.L.", ("Brasov", 45.66, 25.61)),
    _c("BG", "Bulgaria", "EUR", "EOOD", ("Kazanlak", 42.62, 25.39)),
    _c("HR", "Croatia", "EUR", "d.o.o.", ("Zagreb", 45.81, 15.98)),
    _c("SI", "Slovenia", "EUR", "d.o.o.", ("Ljubljana", 46.06, 14.51)),
    _c("GR", "Greece", "EUR", "S.A.", ("Athens", 37.98, 23.73)),
    _c("PT", "Portugal", "EUR", "Lda", ("Porto", 41.15, -8.61)),
    _c("IE", "Ireland", "EUR", "Ltd", ("Cork", 51.9, -8.47)),
    _c("AT", "Austria", "EUR", "GmbH", ("Graz", 47.07, 15.44)),
    _c("HU", "Hungary", "HUF", "Kft.", ("Gyor", 47.69, 17.63)),
    _c("CY", "Cyprus", "EUR", "Ltd", ("Nicosia", 35.17, 33.36)),
    _c("MT", "Malta", "EUR", "Ltd", ("Valletta", 35.9, 14.51)),
    _c("CA", "Canada", "CAD", "Inc.", ("Montreal", 45.5, -73.57)),
    _c("AU", "Australia", "AUD", "Pty Ltd", ("Adelaide", -34.93, 138.6)),
    _c("NZ", "New Zealand", "NZD", "Ltd", ("Auckland", -36.85, 174.76)),
    _c("JP", "Japan", "JPY", "K.K.", ("Nagoya", 35.18, 136.91)),
    _c("KR", "Republic of Korea", "KRW", "Co., Ltd.", ("Changwon", 35.23, 128.68)),
    _c("TR", "Turkiye", "USD", "A.S.", ("Ankara", 39.93, 32.86)),
    _c("AL", "Albania", "EUR", "sh.p.k.", ("Tirana", 41.33, 19.82)),
    _c("MK", "North Macedonia", "EUR", "DOOEL", ("Skopje", 42.0, 21.43)),
    _c("ME", "Montenegro", "EUR", "d.o.o.", ("Podgorica", 42.44, 19.26)),
    _c("MD", "Moldova", "USD", "S.R.L.", ("Chisinau", 47.01, 28.86)),
    _c("GE", "Georgia", "USD", "LLC", ("Tbilisi", 41.72, 44.79)),
    _c("CH", "Switzerland", "CHF", "AG", ("Thun", 46.76, 7.63)),
    _c("QA", "Qatar", "USD", "W.L.L.", ("Doha", 25.29, 51.53)),
    _c("MA", "Morocco", "USD", "SARL", ("Rabat", 34.02, -6.84)),
    _c("KE", "Kenya", "USD", "Ltd", ("Nairobi", -1.29, 36.82)),
    _c("TN", "Tunisia", "USD", "SARL", ("Tunis", 36.81, 10.18)),
    _c("CO", "Colombia", "USD", "S.A.S.", ("Bogota", 4.71, -74.07)),
    _c("AR", "Argentina", "USD", "S.A.", ("Cordoba", -31.42, -64.18)),
)
# fmt: on

COUNTRY: dict[str, Country] = {c.code: c for c in COUNTRIES}

# Members of the EU among the countries above (EU-wide earmarks such as ASAP name these).
EU_MEMBERS: tuple[str, ...] = (
    "AT",
    "BE",
    "BG",
    "CY",
    "CZ",
    "DE",
    "DK",
    "EE",
    "ES",
    "FI",
    "FR",
    "GR",
    "HR",
    "HU",
    "IE",
    "IT",
    "LT",
    "LU",
    "LV",
    "MT",
    "NL",
    "PL",
    "PT",
    "RO",
    "SE",
    "SI",
    "SK",
)

# Where foreign defence firms of the demo come from, by weight (industrial size, roughly).
FOREIGN_FIRM_WEIGHTS: dict[str, float] = {
    "US": 14,
    "DE": 12,
    "GB": 9,
    "FR": 8,
    "PL": 7,
    "CZ": 6,
    "IT": 5,
    "SE": 5,
    "NO": 4,
    "DK": 4,
    "FI": 3,
    "NL": 3,
    "ES": 3,
    "LT": 3,
    "KR": 3,
    "TR": 3,
    "SK": 2,
    "RO": 2,
    "BG": 2,
    "CA": 2,
    "EE": 2,
    "LV": 2,
    "BE": 2,
    "AT": 1,
    "JP": 1,
    "AU": 1,
}

# Where Ukrainian firms open sites abroad (Build with Ukraine and joint ventures), by weight.
ABROAD_HOST_WEIGHTS: dict[str, float] = {
    "DK": 6,
    "GB": 6,
    "DE": 6,
    "PL": 6,
    "LT": 4,
    "LV": 3,
    "EE": 3,
    "NO": 3,
    "SE": 3,
    "FI": 2,
    "CZ": 2,
    "RO": 2,
    "NL": 2,
    "US": 2,
    "CA": 1,
}


def currency_of(country: str) -> str:
    return COUNTRY[country].currency
