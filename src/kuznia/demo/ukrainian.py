"""Ukrainian names of the demo's capability categories, capabilities and partners."""

from __future__ import annotations

from collections.abc import Mapping

# fmt: off
CATEGORIES_UK: Mapping[str, str] = {
    "fpv-bomber-drones": "FPV-дрони та бомбардувальники",
    "interceptor-drones": "Дрони-перехоплювачі",
    "recon-drones": "Розвідувальні дрони",
    "long-range-strike": "Далекобійні ударні дрони та ракети",
    "naval-drones": "Морські дрони",
    "artillery-ammunition": "Артилерійські боєприпаси",
    "artillery-systems": "Артилерійські системи",
    "air-defence-interceptors": "Зенітні ракети ППО",
    "electronic-warfare": "Радіоелектронна боротьба",
    "armoured-vehicles": "Броньована техніка",
    "ground-robots": "Наземні роботизовані комплекси",
    "demining": "Розмінування",
}

CAPABILITIES_UK: Mapping[str, str] = {
    "fpv-7in": "Ударний FPV-дрон, 7 дюймів",
    "fpv-10in": "Ударний FPV-дрон, 10 дюймів",
    "fpv-fibre-optic": "FPV-дрон на оптоволокні",
    "fpv-thermal": "FPV-дрон з тепловізійною камерою",
    "bomber-heavy": "Важкий мультикоптер-бомбардувальник",
    "bomber-quad": "Квадрокоптер-скидач",
    "fpv-warhead-kit": "Комплект бойової частини для FPV",
    "interceptor-quad": "Дрон-перехоплювач, квадрокоптер",
    "interceptor-fixed-wing": "Дрон-перехоплювач, літакового типу",
    "interceptor-radar-guided": "Дрон-перехоплювач з радарним наведенням",
    "interceptor-ai-terminal": "Дрон-перехоплювач з наведенням ШІ на кінцевій ділянці",
    "recon-quad": "Розвідувальний квадрокоптер",
    "recon-fixed-wing": "Розвідувальний дрон літакового типу",
    "recon-long-endurance": "Розвідувальний дрон великої тривалості польоту",
    "recon-tethered": "Прив'язний дрон спостереження",
    "lr-strike-drone": "Далекобійний ударний дрон",
    "lr-jet-drone": "Реактивний далекобійний ударний дрон",
    "lr-missile-drone": "Ракета-дрон",
    "lr-cruise-missile": "Далекобійна крилата ракета",
    "lr-ballistic-missile": "Балістична ракета",
    "usv-strike": "Ударний морський дрон",
    "usv-recon": "Розвідувальний морський дрон",
    "usv-carrier": "Морський дрон-носій дронів",
    "uuv-strike": "Підводний ударний дрон",
    "shell-155mm": "Артилерійський снаряд 155 мм",
    "shell-152mm": "Артилерійський снаряд 152 мм",
    "shell-122mm": "Артилерійський снаряд 122 мм",
    "mortar-120mm": "Мінометна міна 120 мм",
    "mortar-82mm": "Мінометна міна 82 мм",
    "rocket-122mm": "Реактивний снаряд 122 мм",
    "guided-rocket-227mm": "Керований реактивний снаряд 227 мм",
    "charge-155mm": "Модульний метальний заряд 155 мм",
    "howitzer-wheeled-155": "Колісна самохідна гаубиця 155 мм",
    "howitzer-tracked-155": "Гусенична самохідна гаубиця 155 мм",
    "mortar-system-120": "Мінометний комплекс 120 мм",
    "mlrs-launcher-122": "Реактивна система залпового вогню 122 мм",
    "barrel-155": "Змінний ствол 155 мм",
    "sam-long-range": "Зенітна ракета великої дальності",
    "sam-medium-range": "Зенітна ракета середньої дальності",
    "sam-short-range": "Зенітна ракета малої дальності",
    "ad-gun-35mm": "Програмований зенітний снаряд 35 мм",
    "ad-mobile-gun": "Мобільна зенітна артилерійська установка",
    "ew-trench": "Окопний засіб протидії дронам",
    "ew-vehicle": "Автомобільний комплекс РЕБ",
    "ew-stationary": "Стаціонарний комплекс РЕБ",
    "ew-drone-detector": "Детектор дронів",
    "ew-gnss-antijam": "Модуль захисту GNSS від завад",
    "apc-wheeled": "Колісний бронетранспортер",
    "mrap": "Патрульний автомобіль з протимінним захистом",
    "ifv-overhaul": "Капітальний ремонт бойової машини піхоти",
    "armoured-ambulance": "Броньований санітарний автомобіль",
    "tank-overhaul": "Капітальний ремонт основного бойового танка",
    "ugv-logistics": "Логістичний наземний робот",
    "ugv-combat": "Бойовий наземний робот",
    "ugv-casevac": "Наземний робот для евакуації поранених",
    "ugv-mine-laying": "Наземний робот-мінний загороджувач",
    "demining-machine": "Дистанційно керована машина розмінування",
    "demining-drone": "Дрон для виявлення мін",
    "demining-kit": "Комплект для ручного розмінування",
    "mine-clearing-charge": "Подовжений заряд розмінування",
}

PARTNERS_UK: Mapping[str, str] = {
    "UA": "Україна (державний бюджет)", "EU": "Європейський Союз",
    "AL": "Албанія", "AR": "Аргентина", "AT": "Австрія", "AU": "Австралія", "BE": "Бельгія",
    "BG": "Болгарія", "CA": "Канада", "CH": "Швейцарія", "CO": "Колумбія", "CY": "Кіпр",
    "CZ": "Чехія", "DE": "Німеччина", "DK": "Данія", "EE": "Естонія", "ES": "Іспанія",
    "FI": "Фінляндія", "FR": "Франція", "GB": "Велика Британія", "GE": "Грузія",
    "GR": "Греція", "HR": "Хорватія", "HU": "Угорщина", "IE": "Ірландія", "IS": "Ісландія",
    "IT": "Італія", "JP": "Японія", "KE": "Кенія", "KR": "Республіка Корея", "LT": "Литва",
    "LU": "Люксембург", "LV": "Латвія", "MA": "Марокко", "MD": "Молдова", "ME": "Чорногорія",
    "MK": "Північна Македонія", "MT": "Мальта", "NL": "Нідерланди", "NO": "Норвегія",
    "NZ": "Нова Зеландія", "PL": "Польща", "PT": "Португалія", "QA": "Катар", "RO": "Румунія",
    "SE": "Швеція", "SI": "Словенія", "SK": "Словаччина", "TN": "Туніс", "TR": "Туреччина",
    "US": "Сполучені Штати Америки",
}
# fmt: on


def capability_uk(capability_id: str, base: str) -> str | None:
    """The Ukrainian name of a catalogue capability (``id-bN``: its dearer block-N variant)."""
    name = CAPABILITIES_UK.get(base)
    block = capability_id.removeprefix(base).removeprefix("-b")
    if name is None or not block.isdigit():
        return name
    return f"{name}, модифікація {block}"
