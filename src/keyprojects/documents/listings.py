"""The lists people work with, declared once for their page and for their XLSX export.

Each app declares its lists in its own `listings.py` (found when Django starts, like
`admin.py`) as subclasses of `Listing`, registered by `name`. A listing says who may open
it, what it hangs on (a call, a round) read from the GET parameters, its filters and sorts
(core/lists.py), the rows a user may see — the very queryset of the page, so the export
holds exactly what the page lists — and the columns of its export.

The background export (documents/exports.py) rebuilds the list from its name, the stored
parameters and the user who asked; nothing of the request is needed.
"""

from django.conf import settings
from django.http import Http404
from django.urls import reverse
from django.utils.module_loading import autodiscover_modules

from keyprojects.core.lists import ListQuery

_REGISTRY: dict[str, "Listing"] = {}


def register(cls):
    """Class decorator: make the listing known by its name."""
    _REGISTRY[cls.name] = cls()
    return cls


def get(name: str) -> "Listing":
    try:
        return _REGISTRY[name]
    except KeyError:
        raise Http404 from None


def discover():
    autodiscover_modules("listings")


class Listing:
    name = ""  # in URLs and in stored exports
    title = ""  # the export's sheet and file name
    permission = ""  # checked with `permission_object(context)`
    url_name = ""  # the list page (reverse()d with `url_kwargs(context)`)
    filter_class = None  # a core.lists.ListFilter
    columns: list = []  # documents.xlsx.Column

    # --- What the list hangs on, and who may see it -------------------------------

    def context(self, user, params) -> dict:
        """The objects the list belongs to, read from `params`; Http404 if the user may not
        see the list (the same answer as for a list that does not exist)."""
        context = self.load(params)
        if not user.has_perm(self.permission, self.permission_object(context)):
            raise Http404
        return context

    def load(self, params) -> dict:
        return {}

    def permission_object(self, context):
        return None

    # --- Filters, rows ------------------------------------------------------------

    def form_kwargs(self, user, context) -> dict:
        return {}

    def query(self, user, params, context) -> ListQuery:
        return ListQuery(self.filter_class(params, **self.form_kwargs(user, context)))

    def rows(self, user, query, context):
        """The rows the user may see, filtered and sorted as asked: a queryset."""
        raise NotImplementedError

    def export_rows(self, user, query, context):
        """The rows of the export (by default the page's), with what its columns read."""
        return self.rows(user, query, context)

    def decorate(self, rows, context):
        """The export's rows as they are read (an iterator), given what the columns need
        that a query cannot give per row (e.g. names looked up once); unchanged by default."""
        return rows

    # --- Links and words ----------------------------------------------------------

    def url_kwargs(self, context) -> dict:
        return {}

    def url(self, context, query=None) -> str:
        url = reverse(self.url_name, kwargs=self.url_kwargs(context))
        # Parameters the path already carries (a call's slug) are left out of the query.
        dropped = dict.fromkeys(self.context_params(context))
        querystring = query.querystring(**dropped) if query is not None else ""
        return f"{url}?{querystring}" if querystring else url

    def context_params(self, context) -> dict:
        """Parameters the export needs that the page has in its path (a call's slug)."""
        return {}

    def export_querystring(self, query, context) -> str:
        return query.querystring(**self.context_params(context))

    def heading(self, context) -> str:
        """The export's title: the list's name and what it hangs on."""
        return str(self.title)

    def page_context(self, query, context, page) -> dict:
        """What a list page's template needs besides its rows: the query (for sortable
        headers and hidden inputs), the query string of its pager, its export button."""
        return {
            "list": query,
            "query": query.querystring(),
            "export": {
                "name": self.name,
                "query": self.export_querystring(query, context),
                "large": page.paginator.count > settings.EXPORT_DIRECT_MAX_ROWS,
            },
        }
