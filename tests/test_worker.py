"""The one real-worker test: an import queued at commit runs on a Celery worker consuming from Redis."""

from __future__ import annotations

import threading
import time

import pytest
from celery import signals
from celery.contrib.testing.worker import start_worker
from django.db import connections

from ehcp.imports import service
from ehcp.models import Child, ChildImport, ImportStatus
from ehcp.tests.test_imports import FIVE_CHILDREN, csv_text
from qaf.celery import app

BROKER = "redis://127.0.0.1:6379/14"


@pytest.fixture
def real_broker():
    """The app switched from eager mode to the Redis broker for one test, then put back as it was."""
    overrides = {"task_always_eager": False, "broker_url": BROKER, "worker_hijack_root_logger": False}
    saved = {key: app.conf[key] for key in overrides}
    app.conf.update(overrides)
    with app.connection_for_write() as conn:
        conn.default_channel.queue_purge(app.conf.task_default_queue)  # nothing left from an earlier run
    try:
        yield app
    finally:
        app.conf.update(saved)
        # The producer pool was built for this broker; drop it so later code builds one from the restored conf.
        app.pool.force_close_all()
        app._pool = None
        app.amqp._producer_pool = None


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_child_import_runs_on_a_real_worker(area, sqa_officer, real_broker):
    ran_in: list[int] = []

    def after_task(**kwargs):
        ran_in.append(threading.get_ident())
        connections.close_all()  # the worker thread's own connection, so the test database can be dropped

    signals.task_postrun.connect(after_task, weak=False)
    try:
        with start_worker(real_broker, pool="solo", perform_ping_check=False, shutdown_timeout=20):
            child_import = service.child_import_create(
                partnership=area.partnership,
                user=sqa_officer,
                filename="children.csv",
                content_bytes=csv_text(FIVE_CHILDREN).encode(),
            )
            deadline = time.monotonic() + 30
            while ChildImport.objects.get(pk=child_import.pk).status in (
                ImportStatus.PENDING,
                ImportStatus.RUNNING,
            ):
                assert time.monotonic() < deadline, "the worker did not finish the import within 30 s"
                time.sleep(0.1)
    finally:
        signals.task_postrun.disconnect(after_task)

    child_import.refresh_from_db()
    assert child_import.status == ImportStatus.DONE
    assert (child_import.children_created, child_import.rows_done, child_import.rows_total) == (5, 5, 5)
    assert Child.objects.filter(partnership=area.partnership).count() == 5
    assert ran_in and threading.get_ident() not in ran_in  # it ran on the worker's thread, not eagerly here
