"""The one table of the shared web layer: the one-time tokens of submitted forms."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class FormSubmission(models.Model):
    """A form token (``{% form_once %}``) used once by a user, with where its answer sent them.

    Inserted in the same transaction as the view's writes (``fleksi.core.formonce``): the
    unique (user, token) pair lets exactly one of several copies of the same submit run;
    the others wait for it, then are sent where it was sent (``location``).
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    token = models.UUIDField()
    path = models.CharField(max_length=500)
    location = models.CharField(max_length=2000, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "token"], name="core_form_submission_once"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.token}"
