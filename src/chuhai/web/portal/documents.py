"""Document downloads for the pages: the same service and the same answers as the REST API.

``/documents/licences/<id>/<name>`` (e.g. ``package.zip``, ``licence-data.xlsx``, ``contract-ru.docx``;
``?lang2=`` for the package) and ``/documents/vehicles/<id>/dossier.pdf?lang=``. Signed-in staff of
the licence's enterprise with the ``view`` capability; other organisations' objects answer 404.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_GET

from chuhai.web.portal.views import with_actor
from chuhai.web.services import documents
from chuhai.web.services.context import Actor


@require_GET
@with_actor("view")
def licence_document(request: HttpRequest, actor: Actor, licence_id: int, document: str) -> HttpResponse:
    lang2 = request.GET.get("lang2") or None
    return documents.http_response(documents.licence_document(actor, licence_id, document, lang2))


@require_GET
@with_actor("view")
def vehicle_dossier(request: HttpRequest, actor: Actor, vehicle_id: int) -> HttpResponse:
    lang = request.GET.get("lang") or "zh"
    return documents.http_response(documents.vehicle_dossier(actor, vehicle_id, lang))
