"""The one statement each ceiling runs: the INSERT of a complaint submission, or the SELECT of
the Open311 GET's default page (a tenant's 1,000 newest public complaints of the last 90
days, with the fields of each item and its category's and OPD's names)."""

from __future__ import annotations

import uuid
from typing import Any

INSERT = """
INSERT INTO complaints_complaint (
  tenant_id, ticket, tracking_token, open311_token, category_id, description, attributes, lat,
  long, address, channel, classification, severity, confidentiality, status, status_note,
  reporter_name, reporter_email, reporter_phone, language, device_id, account_id, media_url,
  me_too_count, created_at, updated_at, verify_due, due_at, reopen_count, rating_comment,
  idempotency_client, idempotency_fingerprint)
VALUES (%s, %s, %s, %s, %s, 'ceiling', '{}', -6.12, 106.15, '', 'open311', 'pengaduan', 'sedang',
  'biasa', 'baru', '', '', '', '', 'id', '', '', '', 0, now(), now(), now() + interval '3 days',
  now() + interval '3 days', 0, '', '', '')
RETURNING id
"""


def insert_params(tenant: int, category: int) -> list[Any]:
    return [tenant, "C-" + uuid.uuid4().hex[:24], uuid.uuid4().hex, uuid.uuid4(), category]


GET_PAGE = """
SELECT c.ticket AS service_request_id, c.status, c.status_note, c.description,
  c.created_at AS requested_datetime, c.updated_at AS updated_datetime, c.due_at,
  c.address, c.lat, c.long, c.media_url, cat.code AS service_code, cat.name AS service_name,
  opd.name AS agency_responsible
FROM complaints_complaint c
JOIN complaints_category cat ON cat.id = c.category_id
JOIN tenants_opd opd ON opd.id = cat.opd_id
WHERE c.tenant_id = %s AND c.confidentiality <> 'rahasia'
  AND c.created_at >= now() - interval '90 days' AND c.created_at <= now()
ORDER BY c.created_at DESC, c.id DESC
LIMIT 1000
"""
