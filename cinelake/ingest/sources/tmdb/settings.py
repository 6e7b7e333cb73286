"""What the TMDB source asks for and retries."""

from __future__ import annotations

RETRYABLE_STATUS = {429, 500, 502, 503, 504}
