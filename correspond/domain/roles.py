"""The roles people sign in to the desk with, and their names on screen. Kept apart from
the user store so the command line can offer them without loading it."""

ROLES: dict[str, str] = {
    "business_support": "Business support",
    "caseworker": "Caseworker",
    "liaison": "Liaison",
    "admin": "Administrator",
}
