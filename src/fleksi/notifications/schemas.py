"""API shapes of the notifications."""


import datetime as dt

from ninja import Field, Schema


class NotificationOut(Schema):
    id: int
    kind: str
    title: str
    body: str
    url: str
    created_at: dt.datetime
    read_at: dt.datetime | None


class NotificationsOut(Schema):
    unread: int
    items: list[NotificationOut]


class MarkReadIn(Schema):
    id: int | None = Field(None, description="Satu notifikasi; kosong = semua")


class MarkReadOut(Schema):
    marked: int
