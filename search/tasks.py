from django_tasks import task

from .indexing import remove_page, retry_pending, update_page


@task()
def update_page_index(page_id: int):
    return update_page(page_id)


@task()
def retry_pending_updates():
    return retry_pending()


@task()
def remove_page_index(page_id: int):
    return remove_page(page_id)
