"""What the TMDB source asks for and retries: its own constants, so that it needs nothing of
the app (cinelake.config keeps the app's settings and passes them in)."""

from __future__ import annotations

API_URL = "https://api.themoviedb.org/3"
MAX_PAGE = 500  # the API refuses pages beyond 500
GENRE_IDS = (27,)  # horror
LANGUAGE = "pt-BR"

RETRYABLE_STATUS = {429, 500, 502, 503, 504}
