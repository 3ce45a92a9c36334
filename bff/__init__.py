"""KCC BFF: the backend-for-frontend of a municipal customer contact centre."""

__version__ = "0.1.0"
