"""Every write to the catalogue, by subtopic. Keyword-only, each in a transaction, each leaving
an event in the dataset's audit trail (``DatasetEvent``).

- ``catalogue``: datasets and resources, their metadata, groups, tags and coverage
- ``versions``: a resource's data: upload, schema confirmation and loading, diff, release
- ``personal_data``: the check that refuses files with personal data, listing the cells
- ``publication``: the workflow, the public id minted at first publication, downloads
- ``platform_datasets``: the platform's own statistics published as datasets
"""

from kotacerdas.opendata.platform import (  # re-exported for other apps' hooks
    Column as Column,
)
from kotacerdas.opendata.platform import PlatformTable as PlatformTable
from kotacerdas.opendata.services.catalogue import (
    dataset_create,
    dataset_update,
    groups_ensure,
    resource_create,
)
from kotacerdas.opendata.services.personal_data import PersonalDataFound
from kotacerdas.opendata.services.platform_datasets import platform_dataset_publish
from kotacerdas.opendata.services.publication import dataset_transition, download_count
from kotacerdas.opendata.services.versions import (
    pending_versions,
    version_confirm,
    version_publish,
    version_upload,
)

__all__ = [
    "Column",
    "PersonalDataFound",
    "PlatformTable",
    "dataset_create",
    "dataset_transition",
    "dataset_update",
    "download_count",
    "groups_ensure",
    "pending_versions",
    "platform_dataset_publish",
    "resource_create",
    "version_confirm",
    "version_publish",
    "version_upload",
]
