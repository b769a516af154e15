"""Application.get_status_display: the lists' own, the same words as Django's."""

from django.utils import translation

from keyprojects.applications.models import Application
from keyprojects.applications.workflow import Status


def test_each_status_reads_as_django_would_say_it_in_either_language():
    field = Application._meta.get_field("status")
    for language in ["zh-hans", "en"]:
        with translation.override(language):
            for status in Status:
                application = Application(status=status.value)
                django_says = Application._get_FIELD_display(application, field)
                assert application.get_status_display() == django_says
    submitted = Application(status=Status.SUBMITTED)
    with translation.override("en"):
        english = submitted.get_status_display()
    with translation.override("zh-hans"):
        assert submitted.get_status_display() != english  # translated when shown


def test_an_unknown_status_shows_as_stored():
    assert Application(status="vanished").get_status_display() == "vanished"
