"""Emulator clients per account, each signed by that account's administrator,
built once and shared across threads."""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING

from adapters.sandbox import emulator

if TYPE_CHECKING:
    from mypy_boto3_iam import IAMClient
    from mypy_boto3_s3 import S3Client


class EmulatorAccounts:
    def __init__(self, endpoint_url: str) -> None:
        self._endpoint = endpoint_url
        self._lock = threading.Lock()
        self._iam: dict[str, IAMClient] = {}
        self._s3: dict[str, S3Client] = {}

    def iam(self, account_id: str) -> IAMClient:
        with self._lock:
            if account_id not in self._iam:
                self._iam[account_id] = emulator.iam_as(account_id, self._endpoint)
            return self._iam[account_id]

    def s3(self, account_id: str) -> S3Client:
        with self._lock:
            if account_id not in self._s3:
                self._s3[account_id] = emulator.s3_as(account_id, self._endpoint)
            return self._s3[account_id]
