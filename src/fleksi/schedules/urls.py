"""Pages of the approved days: the team calendar, the iCalendar feed (under /kerja-fleksibel/)
and the unit plan check (under /rencana/)."""

from django.urls import path

from . import views, views_planner, views_plans, views_responses

app_name = "schedules"
urlpatterns = [
    path("kerja-fleksibel/kalender/", views.team_calendar, name="team_calendar"),
    path("kerja-fleksibel/kalender-saya/", views.calendar_feed, name="calendar_feed"),
    path("kerja-fleksibel/ical/<str:token>.ics", views.ical_feed, name="ical_feed"),
    path("kerja-fleksibel/rencana-unit/", views_planner.unit_planner, name="unit_planner"),
    path("kerja-fleksibel/rencana-unit/sel/", views_planner.unit_planner_cell, name="unit_planner_cell"),
    path("kerja-fleksibel/rencana-unit/usulan/<int:job_id>/", views_planner.unit_planner_job, name="unit_planner_job"),
    path("kerja-fleksibel/jadwal-saya/", views_responses.my_schedules, name="my_schedules"),
    path("kerja-fleksibel/jadwal-saya/<int:schedule_id>/", views_responses.my_schedule, name="my_schedule"),
    path(
        "kerja-fleksibel/jadwal-saya/<int:schedule_id>/perubahan/",
        views_responses.change_create,
        name="change_create",
    ),
    path("kerja-fleksibel/perubahan-jadwal/<int:change_id>/batal/", views_responses.change_cancel, name="change_cancel"),
    path(
        "kerja-fleksibel/perubahan-jadwal/<int:change_id>/putuskan/",
        views_responses.change_decide,
        name="change_decide",
    ),
    path(
        "kerja-fleksibel/jadwal-unit/<int:schedule_id>/tanggapan/",
        views_responses.schedule_responses,
        name="schedule_responses",
    ),
    path("rencana/", views_plans.plan_check, name="plan_check"),
    path("rencana/templat/", views_plans.plan_template, name="plan_template"),
]
