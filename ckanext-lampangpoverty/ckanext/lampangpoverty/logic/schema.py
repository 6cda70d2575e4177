"""Validation schemas of our actions (``@validate`` in ``logic/action/``). Each refuses
fields it does not know, naming them, instead of dropping them silently."""
from __future__ import annotations

from ckan.logic.schema import validator_args
from ckan.types import Schema, Validator, ValidatorFactory


@validator_args
def microdata_upload(not_empty: Validator, ignore_missing: Validator, unicode_safe: Validator,
                     lampangpoverty_json_object: Validator,
                     lampangpoverty_refuse_unknown: Validator) -> Schema:
    return {"id": [not_empty, unicode_safe],
            "upload": [ignore_missing],
            "roles": [ignore_missing, lampangpoverty_json_object],
            "recodes": [ignore_missing, lampangpoverty_json_object],
            "household_column": [ignore_missing, unicode_safe],
            "__extras": [lampangpoverty_refuse_unknown],
            "__junk": [lampangpoverty_refuse_unknown]}


@validator_args
def microdata_roles_update(not_empty: Validator, ignore_missing: Validator,
                           unicode_safe: Validator, lampangpoverty_json_object: Validator,
                           natural_number_validator: Validator, boolean_validator: Validator,
                           lampangpoverty_refuse_unknown: Validator) -> Schema:
    return {"microdata_id": [not_empty, unicode_safe],
            "roles": [not_empty, lampangpoverty_json_object],
            "recodes": [ignore_missing, lampangpoverty_json_object],
            "household_column": [ignore_missing, unicode_safe],
            "alternative": [ignore_missing, natural_number_validator],
            "preview": [ignore_missing, boolean_validator],
            "__extras": [lampangpoverty_refuse_unknown],
            "__junk": [lampangpoverty_refuse_unknown]}


@validator_args
def microdata_show(not_empty: Validator, unicode_safe: Validator,
                   lampangpoverty_refuse_unknown: Validator) -> Schema:
    return {"microdata_id": [not_empty, unicode_safe],
            "__extras": [lampangpoverty_refuse_unknown],
            "__junk": [lampangpoverty_refuse_unknown]}


@validator_args
def by_id(not_empty: Validator, unicode_safe: Validator, lampangpoverty_text: Validator,
          lampangpoverty_refuse_unknown: Validator) -> Schema:
    """Actions about one object named by ``id`` (a dataset's id or name, a job's id)."""
    return {"id": [not_empty, lampangpoverty_text, unicode_safe],
            "__extras": [lampangpoverty_refuse_unknown],
            "__junk": [lampangpoverty_refuse_unknown]}


@validator_args
def optional_id(ignore_missing: Validator, unicode_safe: Validator,
                lampangpoverty_text: Validator,
                lampangpoverty_refuse_unknown: Validator) -> Schema:
    return {"id": [ignore_missing, lampangpoverty_text, unicode_safe],
            "__extras": [lampangpoverty_refuse_unknown],
            "__junk": [lampangpoverty_refuse_unknown]}


@validator_args
def access_request_create(not_empty: Validator, unicode_safe: Validator,
                          lampangpoverty_text: Validator, lampangpoverty_no_markup: Validator,
                          lampangpoverty_refuse_unknown: Validator) -> Schema:
    return {"id": [not_empty, lampangpoverty_text, unicode_safe],
            "purpose": [not_empty, lampangpoverty_text, unicode_safe, lampangpoverty_no_markup],
            "institution": [not_empty, lampangpoverty_text, unicode_safe,
                            lampangpoverty_no_markup],
            "__extras": [lampangpoverty_refuse_unknown],
            "__junk": [lampangpoverty_refuse_unknown]}


@validator_args
def access_request_decide(not_empty: Validator, ignore_missing: Validator,
                          unicode_safe: Validator, one_of: ValidatorFactory,
                          int_validator: Validator, lampangpoverty_range: ValidatorFactory,
                          lampangpoverty_text: Validator, lampangpoverty_expiry: Validator,
                          lampangpoverty_no_markup: Validator,
                          lampangpoverty_refuse_unknown: Validator) -> Schema:
    return {"request_id": [not_empty, lampangpoverty_text, unicode_safe],
            "decision": [not_empty, lampangpoverty_text, one_of(["approve", "refuse"])],
            "expires": [ignore_missing, lampangpoverty_text, lampangpoverty_expiry],
            "max_downloads": [ignore_missing, lampangpoverty_text, int_validator,
                              lampangpoverty_range(1, 10000)],
            "reason": [ignore_missing, lampangpoverty_text, unicode_safe,
                       lampangpoverty_no_markup],
            "__extras": [lampangpoverty_refuse_unknown],
            "__junk": [lampangpoverty_refuse_unknown]}


@validator_args
def changes(ignore_missing: Validator, int_validator: Validator,
            lampangpoverty_range: ValidatorFactory, lampangpoverty_text: Validator,
            lampangpoverty_timestamp_with_zone: Validator,
            lampangpoverty_refuse_unknown: Validator) -> Schema:
    return {"since": [ignore_missing, lampangpoverty_text, lampangpoverty_timestamp_with_zone],
            "cursor": [ignore_missing, lampangpoverty_text, int_validator,
                       lampangpoverty_range(0, 2**62)],
            "limit": [ignore_missing, lampangpoverty_text, int_validator,
                      lampangpoverty_range(1, 1000)],
            "__extras": [lampangpoverty_refuse_unknown],
            "__junk": [lampangpoverty_refuse_unknown]}


@validator_args
def area_list(ignore_missing: Validator, one_of: ValidatorFactory,
              lampangpoverty_text: Validator,
              lampangpoverty_refuse_unknown: Validator) -> Schema:
    return {"level": [ignore_missing, lampangpoverty_text,
                      one_of(["province", "amphoe", "tambon"])],
            "__extras": [lampangpoverty_refuse_unknown],
            "__junk": [lampangpoverty_refuse_unknown]}


@validator_args
def area_profile(not_empty: Validator, unicode_safe: Validator,
                 lampangpoverty_area_code: Validator,
                 lampangpoverty_refuse_unknown: Validator) -> Schema:
    return {"id": [not_empty, unicode_safe, lampangpoverty_area_code],
            "__extras": [lampangpoverty_refuse_unknown],
            "__junk": [lampangpoverty_refuse_unknown]}


@validator_args
def programme_match(ignore_missing: Validator, default: ValidatorFactory,
                    unicode_safe: Validator, boolean_validator: Validator,
                    int_validator: Validator, is_positive_integer: Validator,
                    lampangpoverty_area_code: Validator,
                    lampangpoverty_vocabulary_terms: ValidatorFactory,
                    lampangpoverty_refuse_unknown: Validator) -> Schema:
    return {"area_code": [default("52"), unicode_safe, lampangpoverty_area_code],
            "dimensions": [ignore_missing, lampangpoverty_vocabulary_terms("tpmap_dimensions")],
            "target_groups": [ignore_missing, lampangpoverty_vocabulary_terms("target_groups")],
            "capitals": [ignore_missing,
                         lampangpoverty_vocabulary_terms("livelihood_capitals")],
            "open_only": [default(True), boolean_validator],
            "limit": [default(20), int_validator, is_positive_integer],
            "__extras": [lampangpoverty_refuse_unknown],
            "__junk": [lampangpoverty_refuse_unknown]}


@validator_args
def area_gaps(default: ValidatorFactory, ignore_missing: Validator, one_of: ValidatorFactory,
              int_validator: Validator, is_positive_integer: Validator,
              lampangpoverty_refuse_unknown: Validator) -> Schema:
    return {"level": [default("tambon"), one_of(["amphoe", "tambon"])],
            "dimension": [ignore_missing, one_of(["health", "living_conditions", "education",
                                                  "income", "public_services"])],
            "limit": [default(20), int_validator, is_positive_integer],
            "__extras": [lampangpoverty_refuse_unknown],
            "__junk": [lampangpoverty_refuse_unknown]}


@validator_args
def indicators_resource(not_empty: Validator, unicode_safe: Validator,
                        lampangpoverty_refuse_unknown: Validator) -> Schema:
    return {"resource_id": [not_empty, unicode_safe],
            "__extras": [lampangpoverty_refuse_unknown],
            "__junk": [lampangpoverty_refuse_unknown]}


@validator_args
def no_params(lampangpoverty_refuse_unknown: Validator) -> Schema:
    """Actions that take no parameters (any given is refused by name)."""
    return {"__extras": [lampangpoverty_refuse_unknown],
            "__junk": [lampangpoverty_refuse_unknown]}
