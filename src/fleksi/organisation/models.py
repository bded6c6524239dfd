"""Agencies, the unit tree, positions, employees, roles and delegations. Tables only."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from fleksi import policy
from fleksi.core.choices import text_choices


class TimeZoneChoice(models.TextChoices):
    WIB = "Asia/Jakarta", "WIB"
    WITA = "Asia/Makassar", "WITA"
    WIT = "Asia/Jayapura", "WIT"


# The law's vocabulary, defined once in fleksi.policy.
EmployeeKind = text_choices("EmployeeKind", policy.EmployeeKind)
TimeFlexibility = text_choices("TimeFlexibility", policy.TimeFlexibility)


class AgencyRoleKind(models.TextChoices):
    HR_ADMIN = "hr_admin", _("Admin SDM")
    PPK = "ppk", _("PPK")


class DelegationKind(models.TextChoices):
    PLT = "plt", _("Plt (pelaksana tugas)")
    PLH = "plh", _("Plh (pelaksana harian)")


class Agency(models.Model):
    code = models.SlugField(_("kode"), max_length=40, unique=True)
    name = models.CharField(_("nama"), max_length=200)
    time_zone = models.CharField(
        _("zona waktu"), max_length=40, choices=TimeZoneChoice.choices, default=TimeZoneChoice.WIB
    )
    flexible_work_enabled = models.BooleanField(_("kerja fleksibel diterapkan"), default=True)
    policy = models.JSONField(_("kebijakan instansi"), default=dict, blank=True)
    approval_supervisor_first = models.BooleanField(
        _("atasan langsung menyetujui lebih dulu"), default=False,
        help_text=_("Bila aktif, pengajuan diperiksa atasan langsung sebelum pimpinan unit."),
    )
    reminder_after_days = models.PositiveSmallIntegerField(
        _("pengingat pengajuan tertunda setelah (hari)"), default=3
    )
    # Whether each employee's part of a published unit schedule waits for the employee's
    # confirmation before it is in force (issue 11; docs/decisions/200).
    schedule_needs_confirmation = models.BooleanField(
        _("jadwal hybrid yang diterbitkan perlu konfirmasi pegawai"), default=False,
        help_text=_("Bila aktif, hari dari jadwal yang diterbitkan baru berlaku setelah pegawai mengonfirmasinya."),
    )
    # The idle timeout of its people's sessions (docs/decisions/152); set on the scheme's
    # settings page with the other agency settings.
    session_idle_minutes = models.PositiveSmallIntegerField(
        _("keluar otomatis setelah tidak aktif (menit)"), default=30
    )
    # Raised by every write of the agency's scheme (policy, settings, national flexible days):
    # the parsed Policy and calendar are cached per (agency, version).
    scheme_version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("instansi")
        verbose_name_plural = _("instansi")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class OrgUnit(models.Model):
    """A unit of the agency's tree. `path` is a materialised path ("/1/4/9/") for subtree reads."""

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="units")
    code = models.CharField(_("kode unit"), max_length=60)
    name = models.CharField(_("nama unit"), max_length=200)
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children"
    )
    path = models.CharField(max_length=1000, db_index=True, default="", editable=False)
    depth = models.PositiveSmallIntegerField(default=0, editable=False)
    head = models.ForeignKey(
        "Employee", on_delete=models.SET_NULL, null=True, blank=True, related_name="headed_units"
    )
    time_zone = models.CharField(
        _("zona waktu"), max_length=40, choices=TimeZoneChoice.choices, default=TimeZoneChoice.WIB
    )
    is_public_service = models.BooleanField(_("unit layanan publik"), default=False)

    class Meta:
        verbose_name = _("unit organisasi")
        verbose_name_plural = _("unit organisasi")
        ordering = ["path"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "code"], name="orgunit_unique_code"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"


class Position(models.Model):
    """A jabatan with its assessment of the five task criteria (PermenPANRB 4/2025)."""

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="positions")
    title = models.CharField(_("jabatan"), max_length=200)
    can_work_outside_office = models.BooleanField(_("dapat dikerjakan di luar kantor"), default=False)
    needs_no_special_equipment = models.BooleanField(_("tidak butuh ruang/peralatan khusus"), default=False)
    can_use_ict = models.BooleanField(_("dapat dikerjakan dengan TIK"), default=False)
    minimal_face_to_face = models.BooleanField(_("interaksi tatap muka minimal"), default=False)
    no_continuous_supervision = models.BooleanField(_("tanpa pengawasan terus-menerus"), default=False)
    field_work = models.BooleanField(_("tugas harus di luar kantor"), default=False)
    time_flexibility = models.CharField(
        _("fleksibilitas waktu"), max_length=10, choices=TimeFlexibility.choices, default=TimeFlexibility.NONE
    )

    class Meta:
        verbose_name = _("jabatan")
        verbose_name_plural = _("jabatan")
        ordering = ["title"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "title"], name="position_unique_title"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def meets_task_criteria(self) -> bool:
        return all(
            (
                self.can_work_outside_office,
                self.needs_no_special_equipment,
                self.can_use_ict,
                self.minimal_face_to_face,
                self.no_continuous_supervision,
            )
        )


class Employee(models.Model):
    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="employees")
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="employee"
    )
    nip = models.CharField(_("NIP / NI PPPK"), max_length=18, unique=True)
    name = models.CharField(_("nama"), max_length=200)
    kind = models.CharField(_("jenis"), max_length=4, choices=EmployeeKind.choices, default=EmployeeKind.PNS)
    unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="employees")
    position = models.ForeignKey(Position, on_delete=models.PROTECT, related_name="employees")
    supervisor = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="subordinates"
    )
    position_start = models.DateField(_("TMT jabatan"), null=True, blank=True)
    domicile = models.CharField(_("domisili terdaftar"), max_length=500, blank=True)
    email = models.EmailField(_("email"), blank=True)
    disciplinary = models.BooleanField(_("sedang menjalani/diproses hukuman disiplin"), default=False)
    excluded = models.BooleanField(_("dikecualikan (Pasal 38)"), default=False)
    # Per-employee overrides of the position's assessment (null = take the position's).
    tasks_eligible_override = models.BooleanField(null=True, blank=True)
    field_work_override = models.BooleanField(null=True, blank=True)
    time_flexibility_override = models.CharField(
        max_length=10, choices=TimeFlexibility.choices, blank=True, default=""
    )
    override_reason = models.CharField(_("alasan penyesuaian"), max_length=300, blank=True)
    special_start = models.DateField(_("keadaan khusus mulai"), null=True, blank=True)
    special_end = models.DateField(_("keadaan khusus sampai"), null=True, blank=True)
    is_active = models.BooleanField(_("aktif"), default=True)
    # The placement office (kantor penempatan): a "kantor" check-in is measured against it.
    office = models.ForeignKey(
        "AgencyOffice", on_delete=models.SET_NULL, null=True, blank=True,
        related_name="placed_employees", verbose_name=_("kantor penempatan"),
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("pegawai")
        verbose_name_plural = _("pegawai")
        ordering = ["name", "nip"]
        indexes = [models.Index(fields=["agency", "name"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(special_start__isnull=True, special_end__isnull=True)
                | Q(special_start__isnull=False, special_end__isnull=False, special_end__gte=models.F("special_start")),
                name="employee_special_period_valid",
            ),
            models.CheckConstraint(
                condition=~Q(supervisor=models.F("pk")), name="employee_not_own_supervisor"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.nip})"

    @property
    def tasks_eligible(self) -> bool:
        if self.tasks_eligible_override is not None:
            return self.tasks_eligible_override
        return self.position.meets_task_criteria

    @property
    def field_work(self) -> bool:
        if self.field_work_override is not None:
            return self.field_work_override
        return self.position.field_work

    @property
    def time_flexibility(self) -> str:
        return self.time_flexibility_override or self.position.time_flexibility


class AgencyRole(models.Model):
    """An agency-wide role: HR admin or PPK."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="agency_roles")
    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="roles")
    role = models.CharField(_("peran"), max_length=20, choices=AgencyRoleKind.choices)

    class Meta:
        verbose_name = _("peran instansi")
        verbose_name_plural = _("peran instansi")
        constraints = [
            models.UniqueConstraint(fields=["user", "agency", "role"], name="agencyrole_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.get_role_display()} {self.agency}"


class Delegation(models.Model):
    """A Plt/Plh holding a unit head's approval rights for a date range (inclusive)."""

    unit = models.ForeignKey(OrgUnit, on_delete=models.CASCADE, related_name="delegations")
    delegate = models.ForeignKey(Employee, on_delete=models.CASCADE, related_name="delegations")
    kind = models.CharField(_("jenis"), max_length=3, choices=DelegationKind.choices, default=DelegationKind.PLH)
    start = models.DateField(_("mulai"))
    end = models.DateField(_("sampai"))
    reason = models.CharField(_("dasar penunjukan"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("pelimpahan (Plt/Plh)")
        verbose_name_plural = _("pelimpahan (Plt/Plh)")
        constraints = [
            models.CheckConstraint(condition=Q(end__gte=models.F("start")), name="delegation_dates_ordered"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.unit}: {self.delegate} {self.start}–{self.end}"


class AgencyOffice(models.Model):
    """An office of the agency (head office, vertical office, UPT) an employee may work from."""

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="offices")
    name = models.CharField(_("nama kantor"), max_length=200)
    address = models.CharField(_("alamat"), max_length=500, blank=True)
    is_active = models.BooleanField(_("aktif"), default=True)
    # The geofence of presensi: a "kantor" check-in farther than radius + the reported
    # accuracy is flagged "outside the office" (not refused).
    latitude = models.DecimalField(
        _("lintang"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("bujur"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    radius_m = models.PositiveIntegerField(_("radius (meter)"), null=True, blank=True)

    class Meta:
        verbose_name = _("kantor instansi")
        verbose_name_plural = _("kantor instansi")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "name"], name="office_unique_name"),
            models.CheckConstraint(
                condition=Q(latitude__isnull=True) | Q(latitude__gte=-90, latitude__lte=90),
                name="office_latitude_range",
            ),
            models.CheckConstraint(
                condition=Q(longitude__isnull=True) | Q(longitude__gte=-180, longitude__lte=180),
                name="office_longitude_range",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class PermittedPlace(models.Model):
    """Another location the PPK or agency head permits (Pasal 12 ayat (1) huruf c)."""

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="permitted_places")
    name = models.CharField(_("nama tempat"), max_length=200)
    address = models.CharField(_("alamat"), max_length=500, blank=True)
    is_active = models.BooleanField(_("aktif"), default=True)

    class Meta:
        verbose_name = _("lokasi lain yang diizinkan")
        verbose_name_plural = _("lokasi lain yang diizinkan")
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["agency", "name"], name="place_unique_name")]

    def __str__(self) -> str:
        return self.name
