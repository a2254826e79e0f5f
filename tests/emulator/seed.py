"""Fill the emulator with SageMaker models for the demo and the benchmarks.

Every third model leaves network isolation on; the rest fail in the two ways
real estates do (flag false, flag absent). Some models have several
containers or a VPC, as in production.

Usage: python seed.py ENDPOINT --regions us-east-1,eu-west-1 --per-region 50
                      [--accounts 111111111111,222222222222]
With --accounts, each account gets the same estate, created with credentials
from sts:AssumeRole into it (which is how moto picks an account).
"""

from __future__ import annotations

import argparse
from concurrent.futures import ThreadPoolExecutor

import boto3

ROLE = "arn:aws:iam::123456789012:role/sagemaker-exec"


def model_request(region: str, i: int) -> dict:
    request = {
        "ModelName": f"{region}-model-{i:05}",
        "ExecutionRoleArn": ROLE,
    }
    containers = [
        {"Image": f"123456789012.dkr.ecr.{region}.amazonaws.com/infer-{c}:1",
         "ModelDataUrl": f"s3://models-{region}/{i}/{c}/model.tar.gz"}
        for c in range(3 if i % 5 == 0 else 1)
    ]
    if len(containers) > 1:
        request["Containers"] = containers
    else:
        request["PrimaryContainer"] = containers[0]
    if i % 4 == 0:
        request["VpcConfig"] = {"Subnets": ["subnet-0abc"], "SecurityGroupIds": ["sg-0abc"]}
    if i % 3 == 0:
        request["EnableNetworkIsolation"] = True
    elif i % 3 == 1:
        request["EnableNetworkIsolation"] = False
    return request


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("endpoint")
    parser.add_argument("--regions", default="us-east-1")
    parser.add_argument("--per-region", type=int, default=10)
    parser.add_argument("--accounts", default="", help="seed these accounts instead of the default one")
    args = parser.parse_args()

    def credentials(account: str | None) -> dict:
        if account is None:
            return {"aws_access_key_id": "testing", "aws_secret_access_key": "testing"}
        sts = boto3.client("sts", region_name="us-east-1", endpoint_url=args.endpoint,
                           aws_access_key_id="testing", aws_secret_access_key="testing")
        c = sts.assume_role(RoleArn=f"arn:aws:iam::{account}:role/seed", RoleSessionName="seed")["Credentials"]
        return {"aws_access_key_id": c["AccessKeyId"], "aws_secret_access_key": c["SecretAccessKey"],
                "aws_session_token": c["SessionToken"]}

    def seed_region(job: tuple[dict, str]) -> None:
        creds, region = job
        sm = boto3.client("sagemaker", region_name=region, endpoint_url=args.endpoint, **creds)
        for i in range(args.per_region):
            sm.create_model(**model_request(region, i))

    regions = [r for r in args.regions.split(",") if r]
    accounts = [a for a in args.accounts.split(",") if a] or [None]
    jobs = [(credentials(a), r) for a in accounts for r in regions]
    with ThreadPoolExecutor(max_workers=4) as pool:
        list(pool.map(seed_region, jobs))
    print(f"seeded {args.per_region} model(s) in each of {len(regions)} region(s) of {len(accounts)} account(s)")


if __name__ == "__main__":
    main()
