from __future__ import annotations

from typing import Annotated
from uuid import UUID

from litestar import Controller, delete, get, post, put
from litestar.di import NamedDependency
from litestar.params import FromPath

from application.change_bucket_access import ChangeBucketAccess
from application.create_managed_bucket import CreateManagedBucket
from application.delete_managed_bucket import DeleteManagedBucket
from application.managed_bucket_queries import GetManagedBucket, ListManagedBuckets
from entrypoints.http.auth import CallerRequest
from entrypoints.http.openapi_examples import (
    BUCKET_PAGE,
    CHANGE_TO_ROLE,
    CHANGED_TO_ROLE,
    CREATE_POLICY_BUCKET,
    CREATE_ROLE_BUCKET,
    POLICY_BUCKET,
    ROLE_BUCKET,
    json_body,
    success_response,
)
from entrypoints.http.paging import (
    DEFAULT_PAGE_SIZE,
    Limit,
    PageCursor,
    next_cursor,
    page_request,
)
from entrypoints.http.problem_responses import problem_responses
from entrypoints.http.rate_limit import RATE_LIMITED
from entrypoints.http.schemas.buckets import (
    BucketBody,
    BucketPage,
    ChangeAccessBody,
    CreateBucketBody,
)

CreateBucketRequest = Annotated[
    CreateBucketBody, json_body(CREATE_POLICY_BUCKET, CREATE_ROLE_BUCKET)
]
ChangeAccessRequest = Annotated[ChangeAccessBody, json_body(CHANGE_TO_ROLE)]


class BucketController(Controller):
    """Buckets in the platform's account, for the caller's company (its org)."""

    path = "/resources/buckets"
    tags = ["managed buckets"]

    @post(
        "",
        opt=RATE_LIMITED,
        status_code=200,
        summary="Create a managed bucket for your company",
        responses={
            **success_response(
                BucketBody,
                "The bucket, made and granted to your account.",
                POLICY_BUCKET,
                ROLE_BUCKET,
            ),
            **problem_responses(400, 401, 403, 413, 415, 429, 503),
        },
    )
    async def create(
        self,
        request: CallerRequest,
        data: CreateBucketRequest,
        create_managed_bucket: NamedDependency[CreateManagedBucket],
    ) -> BucketBody:
        bucket = await create_managed_bucket(request.user.org_id, data.to_request())
        return BucketBody.of(bucket)

    @get(
        "",
        summary="List your company's buckets, newest first",
        responses={
            **success_response(
                BucketPage,
                "A page of your company's buckets; `next_cursor` fetches the next one.",
                BUCKET_PAGE,
            ),
            **problem_responses(400, 401, 403, 503),
        },
    )
    async def list_buckets(
        self,
        request: CallerRequest,
        list_managed_buckets: NamedDependency[ListManagedBuckets],
        limit: Limit = DEFAULT_PAGE_SIZE,
        cursor: PageCursor = None,
    ) -> BucketPage:
        page = await list_managed_buckets(request.user.org_id, page_request(limit, cursor))
        return BucketPage(
            items=[BucketBody.of(b) for b in page.items], next_cursor=next_cursor(page)
        )

    @get(
        "/{bucket_id:uuid}",
        summary="Get one of your company's buckets",
        responses={
            **success_response(BucketBody, "The bucket.", POLICY_BUCKET, ROLE_BUCKET),
            **problem_responses(400, 401, 403, 404, 503),
        },
    )
    async def get_bucket(
        self,
        request: CallerRequest,
        bucket_id: FromPath[UUID],
        get_managed_bucket: NamedDependency[GetManagedBucket],
    ) -> BucketBody:
        return BucketBody.of(await get_managed_bucket(request.user.org_id, bucket_id))

    @put(
        "/{bucket_id:uuid}/access",
        opt=RATE_LIMITED,
        summary="Replace how your AWS account reaches the bucket",
        responses={
            **success_response(
                BucketBody, "The bucket with its new grant; the old one is gone.", CHANGED_TO_ROLE
            ),
            **problem_responses(400, 401, 403, 404, 409, 413, 415, 429, 503),
        },
    )
    async def change_access(
        self,
        request: CallerRequest,
        bucket_id: FromPath[UUID],
        data: ChangeAccessRequest,
        change_bucket_access: NamedDependency[ChangeBucketAccess],
    ) -> BucketBody:
        changed = await change_bucket_access(request.user.org_id, bucket_id, data.to_change())
        return BucketBody.of(changed)

    @delete(
        "/{bucket_id:uuid}",
        opt=RATE_LIMITED,
        summary="Delete an empty bucket, its role and its record",
        responses=problem_responses(400, 401, 403, 404, 409, 429, 503),
    )
    async def delete_bucket(
        self,
        request: CallerRequest,
        bucket_id: FromPath[UUID],
        delete_managed_bucket: NamedDependency[DeleteManagedBucket],
    ) -> None:
        await delete_managed_bucket(request.user.org_id, bucket_id)
