"""Background jobs of schedules (django-tasks, database backend; `fleksi worker` runs them).
The task only wraps the solve: the job row carries status and progress the page polls."""

from __future__ import annotations

from django_tasks import task


@task()
def propose_schedule(job_id: int) -> str:
    """Solve a planner page's proposal (``planning.proposal_job_run``)."""
    from .planning import proposal_job_run

    return proposal_job_run(job_id)
