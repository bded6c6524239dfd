"""``{% load form_once %}`` then ``{% form_once %}`` inside every ``<form method="post">``:
a hidden one-time token, so that a reload or a double click submits the form once
(``fleksi.core.formonce``)."""

from __future__ import annotations

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString

from fleksi.core.formonce import FIELD, new_token

register = template.Library()


@register.simple_tag
def form_once() -> SafeString:
    return format_html('<input type="hidden" name="{}" value="{}">', FIELD, new_token())
