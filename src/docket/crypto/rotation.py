"""KEK rotation: rewrap every case data key under a new key-encryption key.

Content itself is not re-encrypted: a data key does not change, only the KEK that wraps
it. Each data key is rewrapped in its own small transaction, so an interrupted rotation
leaves every key wrapped under either the old or the new KEK (both kept until
``docket keys retire``); re-running resumes where it stopped. Afterwards every item is
authenticated end to end to prove it still decrypts.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import transaction

from docket.core.errors import DocketError, InvalidInput
from docket.crypto.kek import kek_provider
from docket.crypto.keys import data_key_cache, rewrap, unwrap
from docket.crypto.models import CaseKey, ContentItem
from docket.crypto.services import content_verify

Progress = Callable[[int, int], None]


@dataclass
class RotationReport:
    kek_id: str
    created: bool
    resumed: bool
    total: int
    rewrapped: int
    dry_run: bool = False


@dataclass
class VerifyReport:
    keys: int = 0
    items: int = 0
    failures: list[dict[str, str]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.failures


def _pending(target: str) -> list[int]:
    return list(
        CaseKey.objects.filter(shredded_at__isnull=True)
        .exclude(kek_id=target)
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def rotation_pending() -> int:
    """Live data keys not yet wrapped under the current KEK (non-zero: rotation unfinished)."""
    provider = kek_provider()
    known = provider.known()
    if not known:
        return 0
    return len(_pending(known[-1]))


def keys_rotate(
    *,
    new_kek: bool = False,
    dry_run: bool = False,
    batch_size: int = 50,
    on_progress: Progress | None = None,
) -> RotationReport:
    """Rewrap all live data keys under the current KEK, creating a new KEK first unless a
    previous rotation is unfinished (then it resumes). ``new_kek`` forces a new KEK."""
    if batch_size < 1:
        raise InvalidInput("batch_size must be positive", code="crypto.bad_batch")
    provider = kek_provider()
    target = provider.current()
    pending = _pending(target)
    resumed = bool(pending) and not new_kek
    created = False
    if not resumed:
        if dry_run:
            pending = list(
                CaseKey.objects.filter(shredded_at__isnull=True).values_list("pk", flat=True)
            )
            return RotationReport(
                kek_id="(new)",
                created=True,
                resumed=False,
                total=len(pending),
                rewrapped=0,
                dry_run=True,
            )
        target = provider.create()
        created = True
        pending = _pending(target)
    total = len(pending)
    if dry_run:
        return RotationReport(
            kek_id=target, created=False, resumed=resumed, total=total, rewrapped=0, dry_run=True
        )
    done = 0
    if on_progress:
        on_progress(0, total)
    for start in range(0, total, batch_size):
        batch = pending[start : start + batch_size]
        with transaction.atomic():
            for row in CaseKey.objects.select_for_update().filter(pk__in=batch).order_by("pk"):
                rewrap(row, kek_id=target)
        done += len(batch)
        if on_progress:
            on_progress(done, total)
    return RotationReport(
        kek_id=target, created=created, resumed=resumed, total=total, rewrapped=done
    )


def keys_verify(*, on_progress: Progress | None = None) -> VerifyReport:
    """Unwrap every live data key and authenticate every live item (nothing released)."""
    report = VerifyReport()
    items = ContentItem.objects.filter(shredded=False).order_by("pk")
    total = items.count()
    with data_key_cache():
        for row in CaseKey.objects.filter(shredded_at__isnull=True).order_by("pk"):
            try:
                unwrap(row)
                report.keys += 1
            except DocketError as exc:
                report.failures.append(
                    {"key": f"{row.stream} v{row.key_version}", "code": exc.code}
                )
        if on_progress:
            on_progress(0, total)
        for done, item in enumerate(items.iterator(chunk_size=200), start=1):
            try:
                content_verify(item)
                report.items += 1
            except DocketError as exc:
                report.failures.append({"item": item.public_id, "code": exc.code})
            if on_progress and (done % 50 == 0 or done == total):
                on_progress(done, total)
    return report


def keys_retire(kek_id: str) -> None:
    """Destroy an old KEK file once no live data key is wrapped under it."""
    provider = kek_provider()
    known = provider.known()
    if kek_id not in known:
        raise InvalidInput(f"No key-encryption key {kek_id}.", code="crypto.kek_unknown")
    if kek_id == known[-1]:
        raise InvalidInput(
            "The current key-encryption key cannot be retired; rotate first.",
            code="crypto.kek_current",
        )
    in_use = CaseKey.objects.filter(shredded_at__isnull=True, kek_id=kek_id).count()
    if in_use:
        raise InvalidInput(
            f"{in_use} data keys are still wrapped under {kek_id}; finish the rotation first.",
            code="crypto.kek_in_use",
            data={"kek": kek_id, "keys": in_use},
        )
    provider.retire(kek_id)
