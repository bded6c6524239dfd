"""The national flexible-work days an agency applies. Tables only."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from fleksi.organisation.models import Agency


class AgencyFlexDay(models.Model):
    """A national flexible-work day (declared by circular) that the agency applies."""

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="flex_days")
    date = models.DateField(_("tanggal"))
    circular = models.CharField(_("dasar (surat edaran)"), max_length=200)
    max_share = models.DecimalField(
        _("porsi pegawai paling banyak"),
        max_digits=3,
        decimal_places=2,
        default=1,
        help_text=_("Ditetapkan pimpinan instansi; layanan esensial tetap buka."),
    )

    class Meta:
        verbose_name = _("hari kerja fleksibel nasional")
        verbose_name_plural = _("hari kerja fleksibel nasional")
        ordering = ["date"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "date"], name="flexday_unique_date")
        ]

    def __str__(self) -> str:
        return f"{self.date} ({self.circular})"
