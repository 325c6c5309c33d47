"""Refusals as django-oscar-api answers them: field errors, ``{"field": ["message"]}``.

A service's domain error (:class:`oscar_mlm.exceptions.MlmError`) becomes a 400
with the message under the field it concerns, or under
``non_field_errors`` (DRF's ``NON_FIELD_ERRORS_KEY``). Checkout and voucher
refusals keep oscarapi's 406.
"""

from contextlib import contextmanager

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import serializers
from rest_framework.settings import api_settings

from oscar_mlm.exceptions import MlmError


def field_error(message, field=None):
    return serializers.ValidationError({field or api_settings.NON_FIELD_ERRORS_KEY: [message]})


@contextmanager
def refusals(field=None, fields=None):
    """Turn a domain error raised in the block into a 400 with field errors.

    ``fields`` maps error classes to the field they concern (first match wins).
    """
    try:
        yield
    except MlmError as exc:
        target = field
        for error_class, name in (fields or {}).items():
            if isinstance(exc, error_class):
                target = name
                break
        raise field_error(str(exc.message), target) from exc
    except DjangoValidationError as exc:  # a model's full_clean in a service
        raise serializers.ValidationError(
            serializers.as_serializer_error(exc)
        ) from exc


def form_errors(form, renamed=None):
    """A Django form's errors as a 400 (field names renamed where the API calls them otherwise)."""
    renamed = renamed or {}
    errors = {}
    for name, messages in form.errors.items():
        key = api_settings.NON_FIELD_ERRORS_KEY if name == "__all__" else renamed.get(name, name)
        errors.setdefault(key, []).extend(str(m) for m in messages)
    return serializers.ValidationError(errors)
