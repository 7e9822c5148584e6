"""The staff write API: /api/v1/staff/… (sites, routes, stops, status moves).

Every endpoint needs an editor, reviewer or admin (api.permissions); the
public GET endpoints live elsewhere and only ever show published content.
"""
