"""On the demo partnership, every table on every role's home page and list pages sits in a scroll region: a
focusable region named for its table, so a wide table scrolls inside it and the page never scrolls sideways."""

from __future__ import annotations

import datetime as dt
import io
import re
from html.parser import HTMLParser

import pytest
import time_machine
from django.core.management import call_command
from django.db import transaction
from django.test.utils import override_settings

from demo.partnership import DEMO_PARTNERSHIP_NAME
from qaf.models import User

FROZEN_AT = dt.datetime(2026, 3, 18, 9, 30, tzinfo=dt.UTC)
ROLES = ["sqa", "admin", "edu.manager", "sat.manager", "auditor", "hos.education", "board"]
LIST_PAGES = [
    "/",
    "/children/",
    "/children/import/",
    "/audits/",
    "/audits/mine/",
    "/audits/plans/",
    "/audits/tools/",
    "/audits/moderation/",
    "/actions/",
    "/actions/mine/",
    "/actions/team/",
    "/actions/themes/",
    "/actions/workforce-development/",
    "/escalations/",
    "/feedback/complaints/",
    "/feedback/complaints/analysis/",
    "/feedback/compliments/",
    "/feedback/forms/",
    "/feedback/invitations/",
    "/feedback/responses/",
    "/feedback/responses/analysis/",
    "/feedback/advocacy/",
    "/feedback/summary/",
]
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class Tables(HTMLParser):
    """Each <table> of a page with the scroll region around it (None when it has none), and every region."""

    def __init__(self) -> None:
        super().__init__()
        self.open: list[tuple[str, dict]] = []
        self.tables: list[dict | None] = []
        self.regions: list[dict] = []

    def handle_starttag(self, tag: str, attrs: list) -> None:
        attributes = dict(attrs)
        if tag == "div" and "qaf-table-scroll" in (attributes.get("class") or "").split():
            self.regions.append(attributes)
        if tag == "table":
            around = [a for t, a in self.open if t == "div" and "qaf-table-scroll" in (a.get("class") or "")]
            self.tables.append(around[-1] if around else None)
        if tag not in VOID:
            self.open.append((tag, attributes))

    def handle_endtag(self, tag: str) -> None:
        for i in range(len(self.open) - 1, -1, -1):
            if self.open[i][0] == tag:
                del self.open[i:]
                return


@pytest.fixture(scope="class")
def seeded_once(django_db_setup, django_db_blocker):
    """The demo seeded once on a fixed day for the class, rolled back afterwards."""
    with (
        time_machine.travel(FROZEN_AT),
        django_db_blocker.unblock(),
        override_settings(DEBUG=True),
    ):
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            call_command("seed_demo", stdout=io.StringIO())
            yield
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


@pytest.mark.usefixtures("seeded_once", "db")
class TestTablesScrollInTheirOwnRegion:
    @pytest.mark.parametrize("username", ROLES)
    def test_every_table_is_in_a_labelled_focusable_region(self, client, username):
        client.force_login(User.objects.get(username=username, partnership__name=DEMO_PARTNERSHIP_NAME))
        pages = list(LIST_PAGES)
        plan_list = client.get("/audits/plans/").content.decode()
        pages += re.findall(r'href="(/audits/plans/\d+/)"', plan_list)[:1]
        seen_tables = 0
        for path in pages:
            with time_machine.travel(FROZEN_AT):
                page = client.get(path)
            if page.status_code in (403, 404):
                continue  # not a page this role uses
            assert page.status_code == 200, path
            parser = Tables()
            parser.feed(page.content.decode())
            for region in parser.tables:
                assert region is not None, f"{username} {path}: a table outside a scroll region"
            for region in parser.regions:
                assert region.get("role") == "region", f"{username} {path}: {region}"
                assert region.get("tabindex") == "0", f"{username} {path}: {region}"
                assert (region.get("aria-label") or "").strip(), f"{username} {path}: {region}"
            labels = [region["aria-label"] for region in parser.regions]
            assert len(labels) == len(set(labels)), f"{username} {path}: regions named alike {labels}"
            seen_tables += len(parser.tables)
        assert seen_tables >= 3, username


def test_the_scroll_region_tag_names_its_region_from_its_words():
    from django.template import Context, Template, TemplateSyntaxError

    template = Template(
        '{% load govuk %}{% scroll_region "Scores:" name %}<table></table>{% endscroll_region %}'
    )
    assert template.render(Context({"name": "Parents & <carers>"})) == (
        '<div class="qaf-table-scroll" role="region" aria-label="Scores: Parents &amp; &lt;carers&gt;" '
        'tabindex="0"><table></table></div>'
    )
    with pytest.raises(TemplateSyntaxError):
        Template("{% load govuk %}{% scroll_region %}<table></table>{% endscroll_region %}")
