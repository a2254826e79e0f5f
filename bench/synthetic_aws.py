"""A synthetic AWS endpoint for bench/org.sh: answers the calls an
organization audit with the flagship rule makes (Organizations ListAccounts,
STS AssumeRole and GetCallerIdentity, EC2 DescribeRegions, SageMaker
ListModels and DescribeModel) at high rate, each after a fixed latency.

A test tool, not part of Vigil, and not an emulator: it checks no signature
and keeps no state beyond counters. moto serves a few hundred requests per
second; this serves thousands, so the bench measures Vigil, not the emulator.

  python synthetic_aws.py --accounts 1000 --regions 30 --models 1 --latency-ms 50

Prints ``listening on http://127.0.0.1:PORT``. ``GET /_stats`` answers the
requests served, by operation and by account, as JSON.
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import json
import re
import zlib
from datetime import datetime, timedelta, timezone
from urllib.parse import parse_qs

MANAGEMENT = "123456789012"
# The first 30 of Vigil's regions where SageMaker is offered (regions.rs).
REGIONS = [
    "af-south-1", "ap-east-1", "ap-northeast-1", "ap-northeast-2", "ap-northeast-3", "ap-south-1",
    "ap-south-2", "ap-southeast-1", "ap-southeast-2", "ap-southeast-3", "ap-southeast-4",
    "ap-southeast-5", "ap-southeast-7", "ca-central-1", "ca-west-1", "eu-central-1", "eu-central-2",
    "eu-north-1", "eu-south-1", "eu-south-2", "eu-west-1", "eu-west-2", "eu-west-3", "il-central-1",
    "me-central-1", "me-south-1", "mx-central-1", "sa-east-1", "us-east-1", "us-east-2",
    "us-west-1", "us-west-2",
]
CREDENTIAL = re.compile(r"Credential=([A-Z0-9]+)/\d+/([a-z0-9-]+)/")
STS_NS = "https://sts.amazonaws.com/doc/2011-06-15/"


def member(i: int) -> str:
    return f"{200000000000 + i:012d}"


class Endpoint:
    def __init__(self, accounts: int, regions: int, models: int, latency: float, page: int):
        self.accounts = [member(i) for i in range(accounts)]
        self.regions = REGIONS[:regions]
        self.models = models
        self.latency = latency
        self.page = page
        self.by_operation: collections.Counter[str] = collections.Counter()
        self.by_account: collections.Counter[str] = collections.Counter()

    # Who is asking: an assumed session's key names its account (ASIA + id).
    @staticmethod
    def caller(headers: dict[str, str]) -> tuple[str, str]:
        found = CREDENTIAL.search(headers.get("authorization", ""))
        if not found:
            return MANAGEMENT, "us-east-1"
        key, region = found.groups()
        account = key[4:16] if key.startswith("ASIA") and key[4:16].isdigit() else MANAGEMENT
        return account, region

    def answer(self, headers: dict[str, str], body: bytes) -> tuple[str, str, bytes]:
        account, region = self.caller(headers)
        target = headers.get("x-amz-target")
        if target:
            operation = target.split(".")[-1]
            self.count(operation, account)
            request = json.loads(body or b"{}")
            payload = getattr(self, "json_" + operation, self.json_empty)(request, account, region)
            return operation, "application/x-amz-json-1.1", json.dumps(payload).encode()
        form = {k: v[0] for k, v in parse_qs(body.decode()).items()}
        operation = form.get("Action", "")
        self.count(operation, account)
        xml = getattr(self, "xml_" + operation)(form, account)
        return operation, "text/xml", xml.encode()

    def count(self, operation: str, account: str) -> None:
        self.by_operation[operation] += 1
        self.by_account[account] += 1

    def json_ListAccounts(self, request, account, region):
        start = int(request.get("NextToken") or 0)
        size = min(int(request.get("MaxResults") or self.page), 20)
        everyone = [MANAGEMENT, *self.accounts]
        page = everyone[start:start + size]
        answer = {"Accounts": [{"Id": a, "Arn": f"arn:aws:organizations::{MANAGEMENT}:account/o-bench/{a}",
                                "Name": f"account-{a}", "Email": f"{a}@example.com", "Status": "ACTIVE",
                                "State": "ACTIVE", "JoinedMethod": "CREATED", "JoinedTimestamp": 1.7e9}
                               for a in page]}
        if start + size < len(everyone):
            answer["NextToken"] = str(start + size)
        return answer

    def json_ListModels(self, request, account, region):
        return {"Models": [{"ModelName": f"model-{i}",
                            "ModelArn": f"arn:aws:sagemaker:{region}:{account}:model/model-{i}",
                            "CreationTime": 1.7e9} for i in range(self.models)]}

    def json_DescribeModel(self, request, account, region):
        name = request["ModelName"]
        # Every third model of an account's region is isolated, by a fixed hash.
        isolated = zlib.crc32(f"{account}/{region}/{name}".encode()) % 3 == 0
        return {"ModelName": name, "ModelArn": f"arn:aws:sagemaker:{region}:{account}:model/{name}",
                "ExecutionRoleArn": f"arn:aws:iam::{account}:role/sm", "PrimaryContainer": {"Image": "img"},
                "CreationTime": 1.7e9, "EnableNetworkIsolation": isolated}

    def json_empty(self, request, account, region):
        return {}

    def xml_AssumeRole(self, form, account):
        target = form["RoleArn"].split(":")[4]
        expires = (datetime.now(timezone.utc) + timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
        return (f'<AssumeRoleResponse xmlns="{STS_NS}"><AssumeRoleResult><AssumedRoleUser>'
                f'<Arn>arn:aws:sts::{target}:assumed-role/VigilAudit/vigil</Arn>'
                f'<AssumedRoleId>AROABENCH:vigil</AssumedRoleId></AssumedRoleUser><Credentials>'
                f'<AccessKeyId>ASIA{target}BNCH</AccessKeyId><SecretAccessKey>secret</SecretAccessKey>'
                f'<SessionToken>token</SessionToken><Expiration>{expires}</Expiration></Credentials>'
                f'</AssumeRoleResult><ResponseMetadata><RequestId>r</RequestId></ResponseMetadata>'
                f'</AssumeRoleResponse>')

    def xml_GetCallerIdentity(self, form, account):
        return (f'<GetCallerIdentityResponse xmlns="{STS_NS}"><GetCallerIdentityResult>'
                f'<Arn>arn:aws:sts::{account}:assumed-role/VigilAudit/vigil</Arn><UserId>AROABENCH:vigil</UserId>'
                f'<Account>{account}</Account></GetCallerIdentityResult>'
                f'<ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></GetCallerIdentityResponse>')

    def xml_DescribeRegions(self, form, account):
        items = "".join(f"<item><regionName>{r}</regionName><regionEndpoint>ec2.{r}.amazonaws.com</regionEndpoint>"
                        f"<optInStatus>opt-in-not-required</optInStatus></item>" for r in self.regions)
        return (f'<DescribeRegionsResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/">'
                f'<requestId>r</requestId><regionInfo>{items}</regionInfo></DescribeRegionsResponse>')

    async def serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                lines = head.decode("latin-1").split("\r\n")
                method, path, _ = lines[0].split(" ", 2)
                headers = {}
                for line in lines[1:]:
                    if ":" in line:
                        k, v = line.split(":", 1)
                        headers[k.strip().lower()] = v.strip()
                body = await reader.readexactly(int(headers.get("content-length", "0")))
                if path.startswith("/_stats"):
                    kind, payload = "application/json", json.dumps({
                        "operations": dict(self.by_operation),
                        "accounts": len(self.by_account),
                        "per_account": {"max": max(self.by_account.values(), default=0),
                                        "min": min(self.by_account.values(), default=0)},
                    }).encode()
                else:
                    await asyncio.sleep(self.latency)
                    _, kind, payload = self.answer(headers, body)
                writer.write(b"HTTP/1.1 200 OK\r\nContent-Type: " + kind.encode() +
                             b"\r\nx-amzn-RequestId: r\r\nContent-Length: " + str(len(payload)).encode() +
                             b"\r\n\r\n" + payload)
                await writer.drain()
        except (asyncio.IncompleteReadError, ConnectionResetError, BrokenPipeError):
            pass
        finally:
            writer.close()


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--accounts", type=int, default=1000, help="member accounts besides the management one")
    parser.add_argument("--regions", type=int, default=30)
    parser.add_argument("--models", type=int, default=1, help="models per account and region")
    parser.add_argument("--latency-ms", type=float, default=50)
    parser.add_argument("--page", type=int, default=20, help="ListAccounts page size")
    args = parser.parse_args()
    endpoint = Endpoint(args.accounts, args.regions, args.models, args.latency_ms / 1000, args.page)
    server = await asyncio.start_server(endpoint.serve, "127.0.0.1", 0, backlog=4096)
    port = server.sockets[0].getsockname()[1]
    print(f"listening on http://127.0.0.1:{port}", flush=True)
    async with server:
        await server.serve_forever()


if __name__ == "__main__":
    asyncio.run(main())
