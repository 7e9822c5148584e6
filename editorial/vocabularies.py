"""Controlled vocabularies shared by sites and routes.

Values are stable API codes (snake_case, English); labels are for staff.
"""

from django.db import models


class Status(models.TextChoices):
    """The editorial workflow: only PUBLISHED is ever shown to the public."""

    DRAFT = "draft", "Draft"
    REVIEW = "review", "In review"
    PUBLISHED = "published", "Published"
    ARCHIVED = "archived", "Archived"


class GeometryQuality(models.TextChoices):
    """How good a geometry is, said to users rather than hidden."""

    SURVEYED = "surveyed", "Surveyed"
    TRACED = "traced", "Traced from imagery or maps"
    SCHEMATIC = "schematic", "Schematic (not the real course)"


class Confidence(models.TextChoices):
    """Confidence in a site's coordinate (see fixtures/izmir/README.md)."""

    HIGH = "high", "High"
    MEDIUM = "medium", "Medium"
    LOW = "low", "Low"


class Kind(models.TextChoices):
    MOUND = "mound", "Mound (höyük)"
    ARCHAEOLOGICAL_SITE = "archaeological_site", "Archaeological site"
    TEMPLE = "temple", "Temple"
    THEATRE = "theatre", "Theatre"
    CASTLE = "castle", "Castle"
    MUSEUM = "museum", "Museum"
    MOSQUE = "mosque", "Mosque"
    CHURCH = "church", "Church"
    SYNAGOGUE = "synagogue", "Synagogue"
    HAN = "han", "Han (caravanserai)"
    BAZAAR = "bazaar", "Bazaar"
    BATH = "bath", "Bath (hamam)"
    FOUNTAIN = "fountain", "Fountain"
    AQUEDUCT = "aqueduct", "Aqueduct"
    CISTERN = "cistern", "Cistern"
    SPRING = "spring", "Spring"
    WATER_CHANNEL = "water_channel", "Water channel"
    WATER_WORKS = "water_works", "Water works"
    RIVER = "river", "River or stream"
    STREET = "street", "Street"
    CLOCK_TOWER = "clock_tower", "Clock tower"
    ELEVATOR = "elevator", "Elevator"
    RAILWAY_STATION = "railway_station", "Railway station"
    MANSION = "mansion", "Mansion"
    MONUMENT = "monument", "Monument"
    OTHER = "other", "Other"


# Water features: Linked Places feature class H (hydrographic), others S (sites).
WATER_KINDS = frozenset(
    {
        Kind.AQUEDUCT,
        Kind.CISTERN,
        Kind.SPRING,
        Kind.WATER_CHANNEL,
        Kind.WATER_WORKS,
        Kind.RIVER,
        Kind.FOUNTAIN,
        Kind.BATH,
    }
)


class Surface(models.TextChoices):
    PAVED = "paved", "Paved"
    COBBLESTONE = "cobblestone", "Cobblestone"
    GRAVEL = "gravel", "Gravel"
    GRASS = "grass", "Grass or earth"
    MIXED = "mixed", "Mixed"


# The periods of İzmir's history with approximate year ranges (BCE negative).
# Seeded into the Period table by a data migration; order is chronological.
PERIODS = [
    ("neolithic", "Neolitik", "Neolithic", "Jungsteinzeit", -7000, -5500),
    ("chalcolithic", "Kalkolitik", "Chalcolithic", "Kupfersteinzeit", -5500, -3000),
    ("bronze_age", "Tunç Çağı", "Bronze Age", "Bronzezeit", -3000, -1100),
    ("archaic_greek", "Arkaik Yunan", "Archaic Greek", "Archaisches Griechenland", -1100, -546),
    ("lydian", "Lidya", "Lydian", "Lydisch", -610, -546),
    ("persian", "Pers", "Persian", "Persisch", -546, -334),
    ("classical_greek", "Klasik Yunan", "Classical Greek", "Klassisches Griechenland", -480, -334),
    ("hellenistic", "Helenistik", "Hellenistic", "Hellenistisch", -334, -133),
    ("roman", "Roma", "Roman", "Römisch", -133, 395),
    ("byzantine", "Bizans", "Byzantine", "Byzantinisch", 395, 1320),
    ("beylik", "Beylikler", "Beylik", "Beylik-Zeit", 1320, 1426),
    ("ottoman", "Osmanlı", "Ottoman", "Osmanisch", 1426, 1922),
    ("republic", "Cumhuriyet", "Republic", "Republik", 1923, None),
]
