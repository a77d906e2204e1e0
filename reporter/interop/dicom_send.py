"""DICOM C-STORE of exported objects to a PACS, with pynetdicom (the storage SCU side of PS3.4 Annex B).

One association per send: the presentation contexts are the SOP classes of the files, each offered
in Explicit and Implicit VR Little Endian. A PACS that cannot be reached, refuses the association,
or answers a store with a failure status raises :class:`~reporter.errors.DeliveryError` naming the
PACS and the reason; the objects stay where they were (the service keeps them).

pynetdicom's own log lines at INFO and DEBUG describe the datasets sent (patient names among them),
so its logger is held at WARNING.
"""

from __future__ import annotations

import io
import logging
import socket
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from reporter.errors import DeliveryError
from reporter.interop._optional import require
from reporter.settings import check_ae_title

__all__ = ["Pacs", "StoreResult", "store"]

_SUCCESS = 0x0000
# PS3.4 B.2.3: Warning statuses (coercion of data elements, elements discarded, data set does not match SOP class)
# mean the object was stored.
_WARNINGS = frozenset({0xB000, 0xB007, 0xB006})


@dataclass(frozen=True, slots=True)
class Pacs:
    """Where to send: the PACS's host, port and AE title, and the AE title ncreport calls from."""

    host: str
    port: int
    called_ae: str
    calling_ae: str = "NCREPORT"
    timeout_s: float = 30.0

    def __post_init__(self) -> None:
        if not self.host.strip():
            raise ValueError("a PACS needs a host")
        if not 1 <= self.port <= 65535:
            raise ValueError(f"PACS port {self.port} is not 1-65535")
        for title in (self.called_ae, self.calling_ae):
            check_ae_title(title)
        if self.timeout_s <= 0:
            raise ValueError("the PACS timeout must be positive")

    def __str__(self) -> str:
        return f"{self.called_ae}@{self.host}:{self.port}"


@dataclass(frozen=True, slots=True)
class StoreResult:
    """What the PACS took: each SOP Instance UID with its status (0x0000, or a warning 0xB...)."""

    destination: str
    stored: tuple[tuple[str, int], ...]
    warnings: tuple[str, ...] = ()

    @property
    def sop_instance_uids(self) -> tuple[str, ...]:
        return tuple(uid for uid, _ in self.stored)


def _datasets(files: Sequence[bytes]) -> list[Any]:
    from pydicom import dcmread

    return [dcmread(io.BytesIO(data)) for data in files]


def _reachable(pacs: Pacs) -> None:
    """Refuse at once, naming the PACS, when nothing listens at its address (pynetdicom reports that as an
    abort, and leaves the failed socket to the garbage collector)."""
    try:
        with socket.create_connection((pacs.host, pacs.port), timeout=pacs.timeout_s):
            pass
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        raise DeliveryError(
            f"PACS {pacs}: no answer (the PACS is down, or the host or port is wrong: {reason}); nothing was sent"
        ) from exc


def store(pacs: Pacs, files: Sequence[bytes]) -> StoreResult:
    """C-STORE each DICOM file (Part 10 bytes) to ``pacs`` in one association; every one must be stored."""
    require("DICOM send")
    from pydicom.uid import ExplicitVRLittleEndian, ImplicitVRLittleEndian
    from pynetdicom import AE

    logging.getLogger("pynetdicom").setLevel(logging.WARNING)
    datasets = _datasets(files)
    _reachable(pacs)
    ae = AE(ae_title=pacs.calling_ae)
    ae.acse_timeout = ae.dimse_timeout = ae.network_timeout = ae.connection_timeout = pacs.timeout_s
    for sop_class in dict.fromkeys(str(ds.SOPClassUID) for ds in datasets):
        ae.add_requested_context(sop_class, [ExplicitVRLittleEndian, ImplicitVRLittleEndian])
    assoc = ae.associate(pacs.host, pacs.port, ae_title=pacs.called_ae)
    if not assoc.is_established:
        if assoc.is_rejected:
            reason = (
                "the association was rejected (is ncreport's AE title "
                f"{pacs.calling_ae!r} registered at the PACS as a modality?)"
            )
        elif assoc.is_aborted:
            reason = "the association was aborted by the PACS"
        else:
            reason = "no answer to the association request"
        raise DeliveryError(f"PACS {pacs}: {reason}; nothing was sent")
    stored: list[tuple[str, int]] = []
    warnings: list[str] = []
    try:
        for ds in datasets:
            uid = str(ds.SOPInstanceUID)
            answer = assoc.send_c_store(ds)
            status = int(answer.Status) if "Status" in answer else None
            if status is None:
                raise DeliveryError(
                    f"PACS {pacs}: no answer to the store of instance {uid} (connection lost); "
                    f"{len(stored)} of {len(datasets)} stored"
                )
            if status in _WARNINGS:
                warnings.append(f"instance {uid} stored with warning 0x{status:04X}")
            elif status != _SUCCESS:
                raise DeliveryError(
                    f"PACS {pacs}: the store of instance {uid} failed with status 0x{status:04X}; "
                    f"{len(stored)} of {len(datasets)} stored"
                )
            stored.append((uid, status))
    finally:
        if assoc.is_established:
            assoc.release()
    return StoreResult(str(pacs), tuple(stored), tuple(warnings))
