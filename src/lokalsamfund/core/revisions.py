"""Revisions: values renewed on every change (never an earlier value again), the keys of the
per-process caches on the booking path (memberships by user, houses by house).

A cache entry is trusted only while its owner's revision is the one it was stored under, so
every write that changes what an entry holds must renew the owner's revision in the same
transaction: ``save()`` through ``renew_revision`` or ``Revisioned``, bulk writes of owned
rows through ``OwnedRowsQuerySet``.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from typing import Any, ClassVar

from django.db import models, transaction
from django.utils.translation import gettext_lazy as _


def renew_revision(instance: models.Model, field: str, save_kwargs: dict[str, Any]) -> None:
    """Give ``instance`` a new value in ``field`` before ``save(**save_kwargs)``, also when
    the save names its ``update_fields``."""
    setattr(instance, field, uuid.uuid4())
    update_fields = save_kwargs.get("update_fields")
    if update_fields is not None:
        save_kwargs["update_fields"] = {*update_fields, field}


class Revisioned(models.Model):
    """A model whose ``revision`` gets a new value on every save: the key of per-process
    caches of what was read with it."""

    revision = models.UUIDField(_("revision"), default=uuid.uuid4, editable=False)

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        renew_revision(self, "revision", kwargs)
        super().save(*args, **kwargs)


class OwnedRowsQuerySet(models.QuerySet[Any]):
    """Rows that belong to an owner whose revision keys a cache (a room's house, a
    membership's user). Bulk writes renew the revisions of the owners before and after the
    write, in the same transaction; ``save()`` and ``delete()`` of a row must do the same
    (by model method or signal)."""

    owner_field: ClassVar[str]  # e.g. "facility_id"

    def touch_owners(self, owner_ids: Iterable[int]) -> None:
        raise NotImplementedError

    def _owner_ids(self) -> set[int]:
        return set(self.values_list(self.owner_field, flat=True))

    def update(self, **kwargs: Any) -> int:
        with transaction.atomic(using=self.db):
            ids = self._owner_ids()
            count = super().update(**kwargs)
            moved_to = kwargs.get(self.owner_field, kwargs.get(self.owner_field[: -len("_id")]))
            if isinstance(moved_to, models.Model):
                moved_to = moved_to.pk
            if isinstance(moved_to, int):  # (an expression, e.g. from bulk_update, is not)
                ids.add(moved_to)
            self.touch_owners(ids)
        return count

    def delete(self) -> tuple[int, dict[str, int]]:
        with transaction.atomic(using=self.db):
            ids = self._owner_ids()
            result = super().delete()
            self.touch_owners(ids)
        return result

    def bulk_create(self, objs: Iterable[Any], *args: Any, **kwargs: Any) -> list[Any]:
        with transaction.atomic(using=self.db):
            created = super().bulk_create(objs, *args, **kwargs)
            self.touch_owners(getattr(obj, self.owner_field) for obj in created)
        return created

    def bulk_update(self, objs: Iterable[Any], fields: Any, *args: Any, **kwargs: Any) -> int:
        objs = list(objs)
        with transaction.atomic(using=self.db):
            before = self.model._default_manager.filter(pk__in=[o.pk for o in objs])
            ids = set(before.values_list(self.owner_field, flat=True))
            count = super().bulk_update(objs, fields, *args, **kwargs)
            self.touch_owners(ids | {getattr(o, self.owner_field) for o in objs})
        return count
