"""Why no lawful schedule exists: a small set of conflicting constraints, in words.

Every demand (coverage of a day, of a service role, an employee's weekly cap) gets an
assumption literal in a CP-SAT model; ``SufficientAssumptionsForInfeasibility`` names a
set of them that cannot hold together with the fixed days, which is then shrunk one by one
(deletion) to a minimal one and removed, and the search repeats, so that every independent
conflict is reported (at most ``MAX_CONFLICTS``). Must-be-in days that fall on fixed days
are conflicts on their own.
"""

from __future__ import annotations

from ortools.sat.python import cp_model

from fleksi.planner.build import Demand, UnitProblem
from fleksi.planner.model import Conflict, PlanningInput
from fleksi.policy.dates import WEEKDAYS_EN, WEEKDAYS_ID

MAX_CONFLICTS = 20


def _core(problem: UnitProblem, active: list[int]) -> list[int] | None:
    """A set of demands (indices) that conflict, or ``None`` if ``active`` are satisfiable."""
    model = cp_model.CpModel()
    x = [model.new_bool_var(f"x{i}") for i in range(len(problem.cells))]
    literals = {}
    for k in active:
        demand = problem.demands[k]
        literal = model.new_bool_var(f"a{k}")
        literals[literal.index] = k
        model.add(cp_model.LinearExpr.sum([x[c] for c in demand.cells]) <= demand.limit).only_enforce_if(
            literal
        )
    model.add_assumptions([model.get_bool_var_from_proto_index(i) for i in literals])
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.max_time_in_seconds = 10.0
    status = solver.solve(model)
    if status != cp_model.INFEASIBLE:
        return None
    found = [literals[i] for i in solver.sufficient_assumptions_for_infeasibility()]
    return found or list(active)


def _minimal(problem: UnitProblem, core: list[int]) -> list[int]:
    """Drop each demand whose removal keeps the set infeasible (deletion filter)."""
    kept = list(core)
    for k in list(core):
        if len(kept) == 1:
            break
        trial = [j for j in kept if j != k]
        if _core(problem, trial) is not None:
            kept = trial
    return kept


def conflicting_demands(problem: UnitProblem) -> list[list[int]]:
    """Independent minimal sets of conflicting demands (indices into ``problem.demands``)."""
    active = list(range(len(problem.demands)))
    found: list[list[int]] = []
    while active and len(found) < MAX_CONFLICTS:
        core = _core(problem, active)
        if core is None:
            break
        core = _minimal(problem, core)
        found.append(core)
        active = [k for k in active if k not in core]
    return found


def _day(date: object) -> tuple[str, str]:
    import datetime as dt

    assert isinstance(date, dt.date)
    return (
        f"{WEEKDAYS_ID[date.weekday()]} {date.isoformat()}",
        f"{WEEKDAYS_EN[date.weekday()]} {date.isoformat()}",
    )


def render(demand: Demand, names: dict[str, str]) -> Conflict:
    """The words of one demand that the fixed days (or other demands) make impossible."""
    n = demand.numbers
    if demand.kind in ("coverage", "role_coverage"):
        day_id, day_en = _day(demand.date)
        required, size, unavailable = int(n["required"]), int(n["employees"]), int(n["unavailable"])
        available = size - unavailable
        who_id = f"pegawai unit {demand.unit}"
        who_en = f"staff of unit {demand.unit}"
        if demand.kind == "role_coverage":
            who_id = f"pegawai dengan peran {n['role']} di unit {demand.unit}"
            who_en = f"staff with the role {n['role']} in unit {demand.unit}"
        message_id = (
            f"{required} dari {size} {who_id} harus di kantor pada {day_id}, tetapi "
            f"{unavailable} sedang cuti atau keadaan khusus (hari yang sudah ditetapkan di luar "
            f"kantor); paling banyak {available} dapat di kantor."
        )
        message_en = (
            f"{required} of {size} {who_en} must be in the office on {day_en}, but "
            f"{unavailable} are on leave or keadaan khusus (days already fixed away from the "
            f"office); at most {available} can be in the office."
        )
        if demand.limit >= 0:  # conflicts only together with other demands
            message_id = (
                f"{required} dari {size} {who_id} harus di kantor pada {day_id}; bersama batasan "
                "lain hal ini tidak dapat dipenuhi."
            )
            message_en = (
                f"{required} of {size} {who_en} must be in the office on {day_en}; together "
                "with other constraints this cannot be met."
            )
        return Conflict(
            kind=demand.kind,
            unit=demand.unit,
            nip=None,
            date=demand.date,
            week=demand.week,
            message_id=message_id,
            message_en=message_en,
            numbers=dict(n),
        )
    # weekly_cap
    nip = demand.nip or ""
    who = names.get(nip) or nip
    fixed, cap = int(n["fixed"]), int(n["cap"])
    return Conflict(
        kind="weekly_cap",
        unit=demand.unit,
        nip=nip,
        date=None,
        week=demand.week,
        message_id=(
            f"{who} ({nip}) sudah memiliki {fixed} hari kerja di luar kantor yang ditetapkan pada "
            f"minggu {demand.week}, padahal paling banyak {cap} (PermenPANRB 4/2025 Pasal 13 "
            "ayat (1))."
        ),
        message_en=(
            f"{who} ({nip}) already has {fixed} fixed working days away from the office in week "
            f"{demand.week}, but at most {cap} are allowed (PermenPANRB 4/2025 Pasal 13 ayat (1))."
        ),
        numbers=dict(n),
    )


def explain(problem: UnitProblem, data: PlanningInput | None = None) -> list[Conflict]:
    """Every reason this unit has no lawful schedule, in Indonesian and English."""
    names = {e.nip: e.name for e in problem.employees}
    out: list[Conflict] = []
    for pin in problem.pins:
        who = names.get(pin.nip) or pin.nip
        day_id, day_en = _day(pin.date)
        what_id = "cuti" if pin.leave else f"ditetapkan di luar kantor ({pin.reason or 'hari tetap'})"
        what_en = "on leave" if pin.leave else f"fixed away from the office ({pin.reason or 'fixed day'})"
        out.append(
            Conflict(
                kind="must_be_in",
                unit=problem.unit,
                nip=pin.nip,
                date=pin.date,
                week=None,
                message_id=f"{who} ({pin.nip}) harus di kantor pada {day_id}, tetapi hari itu {what_id}.",
                message_en=f"{who} ({pin.nip}) must be in the office on {day_en}, but is {what_en} that day.",
            )
        )
    for row, findings in problem.invalid_fixed:
        who = names.get(row.nip) or row.nip
        day_id, day_en = _day(row.date)
        out.append(
            Conflict(
                kind="fixed_day",
                unit=problem.unit,
                nip=row.nip,
                date=row.date,
                week=None,
                message_id=f"Hari tetap {who} ({row.nip}) pada {day_id} tidak sah: "
                + " ".join(f.message_id for f in findings),
                message_en=f"The fixed day of {who} ({row.nip}) on {day_en} is not lawful: "
                + " ".join(f.message_en for f in findings),
            )
        )
    for core in conflicting_demands(problem):
        for k in core:
            out.append(render(problem.demands[k], names))
    return out
