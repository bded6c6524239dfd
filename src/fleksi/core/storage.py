"""Static files: compressed, with hashed names that may be cached for a year (docs/decisions/084)."""

from __future__ import annotations

from whitenoise.storage import CompressedManifestStaticFilesStorage


class StaticFilesStorage(CompressedManifestStaticFilesStorage):
    """WhiteNoise's compressed manifest storage (``fleksi serve`` runs collectstatic first).

    A name the manifest lacks (collectstatic not run yet, as with ``fleksi demo``, or a file
    added since) falls back to its plain, unhashed URL instead of a 500 on every page: served
    from the source folders when WHITENOISE_USE_FINDERS is on, cached briefly
    (WHITENOISE_MAX_AGE) because the name does not change with the content.
    """

    manifest_strict = False

    def stored_name(self, name: str) -> str:
        try:
            return super().stored_name(name)
        except ValueError:  # not in the manifest and not in STATIC_ROOT to hash it
            return name
