"""Store the example's parameters and secret in the AWS endpoint of $AWS_ENDPOINT_URL."""

import json
import os

import boto3

session = boto3.session.Session(region_name=os.environ["AWS_REGION"])
endpoint = os.environ["AWS_ENDPOINT_URL"]
ssm = session.client("ssm", endpoint_url=endpoint)
ssm.put_parameter(Name="/myapp/db/host", Value="db.internal", Type="String")
ssm.put_parameter(Name="/myapp/db/password", Value="s3cr3t", Type="SecureString")
secrets = session.client("secretsmanager", endpoint_url=endpoint)
secrets.create_secret(Name="myapp/api", SecretString=json.dumps({"token": "tok-123"}))
