from __future__ import annotations

from domain.s3_uri import BucketName


class DuplicateBucketName(RuntimeError):
    """A second row for a bucket name, refused by the store.

    Never expected, and so deliberately not a ``DomainError``: S3 bucket names
    are global and each is drawn at random, and S3 has just let us create this
    one, so a row by the same name means the store and S3 disagree (a row left
    for a bucket removed behind our back) or a bug. Nothing for the application
    to retry or tell the customer: an internal error, for an operator to look at.
    """

    def __init__(self, name: BucketName) -> None:
        super().__init__(f"a managed bucket named {name.value!r} is already stored")
        self.name = name
