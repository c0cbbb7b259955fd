"""Open311 GeoReport v2, mounted at ``/open311/v2/`` outside any tenant."""

from django.urls import re_path

from kotacerdas.complaints import open311
from kotacerdas.complaints.feed_cache import feed_cache

FMT = r"\.(?P<fmt>\w+)$"

urlpatterns = [
    re_path(r"^discovery" + FMT, open311.discovery, name="open311_discovery"),
    re_path(r"^services" + FMT, feed_cache(open311.service_list), name="open311_services"),
    re_path(
        r"^services/(?P<service_code>[\w-]+)" + FMT,
        open311.service_definition,
        name="open311_service",
    ),
    re_path(r"^requests" + FMT, feed_cache(open311.request_list), name="open311_requests"),
    re_path(
        r"^requests/(?P<service_request_id>[\w-]+)" + FMT,
        open311.request_detail,
        name="open311_request",
    ),
    re_path(r"^tokens/(?P<token>[\w-]+)" + FMT, open311.token_detail, name="open311_token"),
]
