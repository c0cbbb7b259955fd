"""The CKAN Action API v3, read actions, per tenant: ``/<slug>/api/3/action/<name>`` and
``/<slug>/api/action/<name>`` (the path ``ckanapi`` calls), GET with query parameters or POST
with a JSON body. Envelope, field names and error shapes are CKAN 2.10's, so CKAN clients and
harvesters work unchanged. Only published datasets are visible; the API takes no credentials.

- ``common``: the call (``Ctx``), CKAN's errors, the datasets an action may show
- ``dicts``: CKAN's dictionaries (organization, group, tag, resource, package)
- ``catalogue``: site, package, organization, group and tag actions
- ``datastore``: ``resource_show`` and ``datastore_search``
- ``view``: the action table, ``help_show`` and the endpoint
"""

from kotacerdas.opendata.ckan.dicts import MIME, package_dict
from kotacerdas.opendata.ckan.view import ACTIONS, action_view

__all__ = ["ACTIONS", "MIME", "action_view", "package_dict"]
