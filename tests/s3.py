"""An S3-compatible server on loopback (moto's) for the object-storage tests, and the
production environment variables that point the platform at it."""

import contextlib

import boto3
from moto.server import ThreadedMotoServer

REGION = "us-east-1"


@contextlib.contextmanager
def moto_server():
    """Yields the endpoint URL of a fresh S3 server; stops it afterwards."""
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    try:
        yield f"http://{host}:{port}"
    finally:
        server.stop()


def environment(endpoint, bucket) -> dict:
    """The KEYPROJECTS_S3_* variables of a deployment using this server (docs/deployment.md)."""
    return {
        "KEYPROJECTS_S3_BUCKET": bucket,
        "KEYPROJECTS_S3_ENDPOINT_URL": endpoint,
        "KEYPROJECTS_S3_ACCESS_KEY": "testing",
        "KEYPROJECTS_S3_SECRET_KEY": "testing",
        "KEYPROJECTS_S3_REGION": REGION,
    }


def client(endpoint):
    """A boto3 client to look into the bucket from outside the platform."""
    return boto3.client(
        "s3",
        endpoint_url=endpoint,
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
        region_name=REGION,
    )
