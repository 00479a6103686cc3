"""The file storage every web server shares: an S3-compatible bucket (AWS, MinIO, Ceph...)."""


def s3(bucket: str, *, endpoint_url: str | None = None, region: str = "us-east-1", prefix: str = "") -> dict:
    """Private objects (no ACL, no public address: files are read through the views that check
    who may read), never overwritten; the credentials are boto3's (AWS_ACCESS_KEY_ID...)."""
    return {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": bucket,
            "endpoint_url": endpoint_url or None,
            "region_name": region,
            "location": prefix,
            "default_acl": None,
            "file_overwrite": False,
        },
    }
