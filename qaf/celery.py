"""The Celery application: worker and beat are started with `celery -A qaf worker|beat`."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "qaf.settings")

app = Celery("qaf")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
