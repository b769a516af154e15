"""Background work of imports: a confirmed import of thousands of rows (checks, one write
transaction, then the e-mails) leaves the request; its page polls the progress."""

from django_tasks import task


@task()
def run_import(batch_id: str) -> str:
    from . import domain  # domain enqueues this task

    return domain.run(batch_id)
