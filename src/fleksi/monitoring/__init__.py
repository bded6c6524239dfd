"""Monitoring and evaluation (PermenPANRB 4/2025 Pasal 35): dashboards per scope, the national
aggregates, the service index and readiness self-reports, evaluation reports. It only reads
the other apps, through their selectors; its own writes are its own tables."""
