"""What a route's designation says to a tourist, in every language.

The code (`official`, `proposed`) is the API value; the label is what an app
shows beside the route's name. `designation_label` and its SQL twin
`DesignationLabel` give the same text (tests/routes/test_designations.py).
"""

from django.db.models import Case, TextField, Value, When

from editorial.translations import pick
from routes.models import RouteDesignation

# What the apps show for each designation, in every language (settings.LANGUAGES).
ROUTE_DESIGNATION_LABELS = {
    RouteDesignation.OFFICIAL: {"tr": "Resmî rota", "en": "Official route", "de": "Offizielle Route"},
    RouteDesignation.PROPOSED: {
        "tr": "Önerilen rota, geliştirme aşamasında",
        "en": "Proposed route, in development",
        "de": "Vorgeschlagene Route, in Entwicklung",
    },
}


def designation_label(designation: str, language: str) -> str:
    return pick(ROUTE_DESIGNATION_LABELS.get(designation), language)


def DesignationLabel(language: str) -> Case:
    """designation_label in SQL, for the routes list built in PostgreSQL."""
    whens = [
        When(designation=code, then=Value(designation_label(code, language)))
        for code in ROUTE_DESIGNATION_LABELS
    ]
    return Case(*whens, default=Value(""), output_field=TextField())
