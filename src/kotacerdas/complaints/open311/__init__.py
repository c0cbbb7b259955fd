"""Open311 GeoReport v2 (http://wiki.open311.org/GeoReport_v2) at ``/open311/v2/``, by subtopic:

- ``common``: the specification's constants, errors, XML/JSON rendering, ``open311_view``
- ``catalogue``: discovery, the service list, a service's definition
- ``feed``: reading service requests (the list, one request, a token); ``feed_sql`` builds a
  JSON page in PostgreSQL
- ``submit``: posting a service request with an ``api_key``

Every resource is served as XML and JSON. ``jurisdiction_id`` is required (one endpoint serves
every tenant). Errors follow the specification: a list of ``{code, description}`` with 404 for
an unknown jurisdiction, service, request or token, 403 for a missing or invalid ``api_key`` and
400 for everything else. The reporter's identity, email and phone are never emitted and secret
(rahasia) complaints do not exist here.
"""

from kotacerdas.complaints.open311.catalogue import discovery, service_definition, service_list
from kotacerdas.complaints.open311.feed import request_detail, request_list, token_detail

__all__ = [
    "discovery",
    "request_detail",
    "request_list",
    "service_definition",
    "service_list",
    "token_detail",
]
