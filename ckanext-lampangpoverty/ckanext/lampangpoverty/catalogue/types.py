"""The catalogue's dataset types (ckanext-scheming schemas in ``schemas/``)."""
from __future__ import annotations

POVERTY_DATASET = "poverty-dataset"
AGENCY_RESOURCE = "agency-resource"
POLICY_PROPOSAL = "policy-proposal"

DATASET_TYPES = (POVERTY_DATASET, AGENCY_RESOURCE, POLICY_PROPOSAL)

# ckanext-harvest's sources are datasets of this type (created only through its actions).
HARVEST_SOURCE = "harvest"
