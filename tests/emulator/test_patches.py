"""Each fix in vigil_moto.py, checked twice: it holds on the patched server
and fails on stock moto 5.2.5, so no fix is dead and no check is empty.

Run: python -m unittest test_patches  (from this folder, in the emulator venv)
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import unittest
import uuid

import boto3
from botocore.config import Config
from botocore.exceptions import ClientError
from botocore.parsers import ResponseParserError

HERE = os.path.dirname(os.path.abspath(__file__))
ROLE = "arn:aws:iam::123456789012:role/sm"
IMAGE = {"Image": "123456789012.dkr.ecr.us-east-1.amazonaws.com/x:1"}


def start(*flags: str):
    # Stock moto answers the checks with server-side tracebacks on purpose:
    # they would drown a green run, so that server's stderr is dropped.
    proc = subprocess.Popen(
        [sys.executable, os.path.join(HERE, "vigil_moto.py"), *flags],
        stdout=subprocess.PIPE, text=True,
        stderr=subprocess.DEVNULL if "--stock" in flags else None,
    )
    line = proc.stdout.readline().strip()
    if not line.startswith("listening on "):
        proc.kill()
        raise RuntimeError(f"emulator did not start: {line!r}")
    return proc, line.removeprefix("listening on ")


def client(url: str):
    return boto3.client(
        "sagemaker", region_name="us-east-1", endpoint_url=url,
        aws_access_key_id="testing", aws_secret_access_key="testing",
    )


def beside(sm, service: str, region: str | None = None):
    """A client of `service` on the same emulator as `sm` (its region unless
    `region` is given)."""
    return boto3.client(service, endpoint_url=sm.meta.endpoint_url, region_name=region or sm.meta.region_name,
                        aws_access_key_id="testing", aws_secret_access_key="testing")


def fresh() -> str:
    return "m-" + uuid.uuid4().hex[:12]


def check_isolation_kept(sm):
    name = fresh()
    sm.create_model(ModelName=name, ExecutionRoleArn=ROLE, PrimaryContainer=IMAGE,
                    EnableNetworkIsolation=True)
    assert sm.describe_model(ModelName=name)["EnableNetworkIsolation"] is True


def check_inference_execution_config_kept(sm):
    name = fresh()
    sm.create_model(ModelName=name, ExecutionRoleArn=ROLE, Containers=[IMAGE, IMAGE],
                    InferenceExecutionConfig={"Mode": "Direct"})
    assert sm.describe_model(ModelName=name).get("InferenceExecutionConfig") == {"Mode": "Direct"}


def check_duplicate_rejected(sm):
    name = fresh()
    sm.create_model(ModelName=name, ExecutionRoleArn=ROLE, PrimaryContainer=IMAGE)
    try:
        sm.create_model(ModelName=name, ExecutionRoleArn=ROLE, PrimaryContainer=IMAGE)
    except ClientError as err:
        assert err.response["Error"]["Code"] == "ValidationException"
        assert "already existing model" in err.response["Error"]["Message"]
        return
    raise AssertionError("duplicate CreateModel was accepted")


def check_empty_fields_omitted(sm):
    name = fresh()
    sm.create_model(ModelName=name, ExecutionRoleArn=ROLE, PrimaryContainer=IMAGE)
    out = sm.describe_model(ModelName=name)
    assert "VpcConfig" not in out, out.get("VpcConfig")
    assert "Containers" not in out, out.get("Containers")


def check_pagination(sm):
    prefix = "pg" + uuid.uuid4().hex[:6]
    names = {f"{prefix}-{i:03}" for i in range(23)}
    for n in names:
        sm.create_model(ModelName=n, ExecutionRoleArn=ROLE, PrimaryContainer=IMAGE)
    first = sm.list_models(MaxResults=10, NameContains=prefix)
    assert len(first["Models"]) == 10, len(first["Models"])
    assert "NextToken" in first
    seen, token, pages = [], None, 0
    while True:
        kw = {"MaxResults": 10, "NameContains": prefix, "SortBy": "Name", "SortOrder": "Ascending"}
        if token:
            kw["NextToken"] = token
        page = sm.list_models(**kw)
        pages += 1
        seen += [m["ModelName"] for m in page["Models"]]
        token = page.get("NextToken")
        if not token:
            break
    assert pages == 3, pages
    assert seen == sorted(names), seen


def check_summaries_only(sm):
    name = fresh()
    sm.create_model(ModelName=name, ExecutionRoleArn=ROLE, PrimaryContainer=IMAGE)
    listed = [m for m in sm.list_models(NameContains=name)["Models"]]
    assert len(listed) == 1
    assert set(listed[0]) == {"ModelName", "ModelArn", "CreationTime"}, set(listed[0])


def check_shadow_variants_kept(sm):
    name, config = fresh(), fresh()
    sm.create_model(ModelName=name, ExecutionRoleArn=ROLE, PrimaryContainer=IMAGE)
    variant = {"ModelName": name, "InitialInstanceCount": 1, "InstanceType": "ml.m5.large"}
    sm.create_endpoint_config(
        EndpointConfigName=config,
        ProductionVariants=[dict(variant, VariantName="primary")],
        ShadowProductionVariants=[dict(variant, VariantName="shadow")],
    )
    shadow = sm.describe_endpoint_config(EndpointConfigName=config).get("ShadowProductionVariants", [])
    assert [v["VariantName"] for v in shadow] == ["shadow"], shadow


MONITOR_IMAGE = "123456789012.dkr.ecr.us-east-1.amazonaws.com/monitor:1"
CLUSTER = {"ClusterConfig": {"InstanceCount": 1, "InstanceType": "ml.m5.large", "VolumeSizeInGB": 20}}


def check_monitoring_schedules(sm):
    name = fresh()
    config = {"MonitoringJobDefinitionName": "dq", "MonitoringType": "DataQuality"}
    sm.create_monitoring_schedule(MonitoringScheduleName=name, MonitoringScheduleConfig=config)
    described = sm.describe_monitoring_schedule(MonitoringScheduleName=name)
    assert described["MonitoringScheduleConfig"]["MonitoringJobDefinitionName"] == "dq"
    listed = [s["MonitoringScheduleName"] for s in sm.list_monitoring_schedules()["MonitoringScheduleSummaries"]]
    assert name in listed, listed


def check_update_monitoring_schedule(sm):
    name = fresh()
    sm.create_monitoring_schedule(MonitoringScheduleName=name, MonitoringScheduleConfig={
        "MonitoringJobDefinitionName": "dq-old", "MonitoringType": "DataQuality"})
    sm.update_monitoring_schedule(MonitoringScheduleName=name, MonitoringScheduleConfig={
        "MonitoringJobDefinitionName": "dq-new", "MonitoringType": "DataQuality"})
    described = sm.describe_monitoring_schedule(MonitoringScheduleName=name)
    assert described["MonitoringScheduleConfig"]["MonitoringJobDefinitionName"] == "dq-new", described
    try:
        sm.update_monitoring_schedule(MonitoringScheduleName=fresh(), MonitoringScheduleConfig={
            "MonitoringJobDefinitionName": "dq-new"})
        raise AssertionError("an unknown schedule was updated")
    except ClientError as err:
        assert err.response["Error"]["Code"] == "ValidationException", err.response


def check_feature_groups(sm):
    online_only, both = fresh(), fresh()
    features = {"RecordIdentifierFeatureName": "id", "EventTimeFeatureName": "t",
                "FeatureDefinitions": [{"FeatureName": "id", "FeatureType": "String"},
                                       {"FeatureName": "t", "FeatureType": "String"}]}
    online = {"EnableOnlineStore": True, "SecurityConfig": {"KmsKeyId": "k"}}
    sm.create_feature_group(FeatureGroupName=online_only, OnlineStoreConfig=online, **features)
    sm.create_feature_group(FeatureGroupName=both, OnlineStoreConfig=online, RoleArn=ROLE,
                            OfflineStoreConfig={"S3StorageConfig": {"S3Uri": "s3://b/f", "KmsKeyId": "k2"}}, **features)
    described = sm.describe_feature_group(FeatureGroupName=online_only)
    assert described["OnlineStoreConfig"]["SecurityConfig"]["KmsKeyId"] == "k", described
    assert "OfflineStoreConfig" not in described, described
    assert sm.describe_feature_group(FeatureGroupName=both)["OfflineStoreConfig"]["S3StorageConfig"]["KmsKeyId"] == "k2"
    first = sm.list_feature_groups(MaxResults=1)
    rest = sm.list_feature_groups(MaxResults=100, NextToken=first["NextToken"])
    listed = [g["FeatureGroupName"] for g in first["FeatureGroupSummaries"] + rest["FeatureGroupSummaries"]]
    assert {online_only, both} <= set(listed), listed
    sm.delete_feature_group(FeatureGroupName=both)
    try:
        sm.describe_feature_group(FeatureGroupName=both)
        raise AssertionError("a deleted feature group was described")
    except ClientError as err:
        assert err.response["Error"]["Code"] == "ResourceNotFound", err.response


def check_update_cluster(sm):
    name = fresh()
    group = {"InstanceGroupName": "workers", "InstanceType": "ml.t3.medium", "InstanceCount": 1,
             "ExecutionRole": ROLE, "LifeCycleConfig": {"SourceS3Uri": "s3://sagemaker-x/", "OnCreate": "on_create.sh"}}
    sm.create_cluster(ClusterName=name, InstanceGroups=[group])
    keyed = dict(group, InstanceGroupName="workers-kms", InstanceStorageConfigs=[
        {"EbsVolumeConfig": {"RootVolume": True, "VolumeKmsKeyId": "k"}}])
    sm.update_cluster(ClusterName=name, InstanceGroups=[group, keyed])
    sm.update_cluster(ClusterName=name, InstanceGroups=[keyed], InstanceGroupsToDelete=["workers"])
    groups = sm.describe_cluster(ClusterName=name)["InstanceGroups"]
    assert [g["InstanceGroupName"] for g in groups] == ["workers-kms"], groups
    assert groups[0]["InstanceStorageConfigs"][0]["EbsVolumeConfig"]["VolumeKmsKeyId"] == "k", groups


def check_notebook_lifecycle_configs(sm):
    import base64
    name = fresh()
    old, new = (base64.b64encode(s).decode() for s in (b"echo old", b"echo new"))
    sm.create_notebook_instance_lifecycle_config(NotebookInstanceLifecycleConfigName=name, OnStart=[{"Content": old}])
    listed = [c["NotebookInstanceLifecycleConfigName"]
              for c in sm.list_notebook_instance_lifecycle_configs()["NotebookInstanceLifecycleConfigs"]]
    assert name in listed, listed
    sm.update_notebook_instance_lifecycle_config(NotebookInstanceLifecycleConfigName=name, OnStart=[{"Content": new}])
    described = sm.describe_notebook_instance_lifecycle_config(NotebookInstanceLifecycleConfigName=name)
    assert described["OnStart"] == [{"Content": new}], described


def check_images_and_tags(sm):
    image, config = fresh(), fresh()
    arn = sm.create_image(ImageName=image, RoleArn=ROLE, Tags=[{"Key": "owner", "Value": "ml"}])["ImageArn"]
    config_arn = sm.create_app_image_config(AppImageConfigName=config)["AppImageConfigArn"]
    assert image in [i["ImageName"] for i in sm.list_images()["Images"]]
    assert config in [c["AppImageConfigName"] for c in sm.list_app_image_configs()["AppImageConfigs"]]
    assert sm.describe_image(ImageName=image)["ImageArn"] == arn
    assert sm.list_tags(ResourceArn=arn)["Tags"] == [{"Key": "owner", "Value": "ml"}]
    sm.add_tags(ResourceArn=config_arn, Tags=[{"Key": "team", "Value": "research"}])
    assert [t["Key"] for t in sm.list_tags(ResourceArn=config_arn)["Tags"]] == ["team"]
    sm.delete_app_image_config(AppImageConfigName=config)
    try:
        sm.describe_app_image_config(AppImageConfigName=config)
        raise AssertionError("a deleted app image configuration was described")
    except ClientError as err:
        assert err.response["Error"]["Code"] == "ResourceNotFound", err.response


def check_inference_experiments(sm):
    name = fresh()
    variant = {"ModelName": "m", "VariantName": "v", "InfrastructureConfig": {
        "InfrastructureType": "RealTimeInference",
        "RealTimeInferenceConfig": {"InstanceType": "ml.m5.large", "InstanceCount": 1}}}
    sm.create_inference_experiment(Name=name, Type="ShadowMode", RoleArn=ROLE, EndpointName="e", KmsKey="k",
                                   ModelVariants=[variant], DataStorageConfig={"Destination": "s3://b/p", "KmsKey": "k2"},
                                   ShadowModeConfig={"SourceModelVariantName": "v", "ShadowModelVariants": [
                                       {"ShadowModelVariantName": "v", "SamplingPercentage": 10}]})
    assert name in [e["Name"] for e in sm.list_inference_experiments()["InferenceExperiments"]]
    described = sm.describe_inference_experiment(Name=name)
    assert (described["KmsKey"], described["DataStorageConfig"]["KmsKey"]) == ("k", "k2"), described
    try:
        sm.delete_inference_experiment(Name=name)
        raise AssertionError("a running experiment was deleted")
    except ClientError as err:
        assert err.response["Error"]["Code"] == "ConflictException", err.response
    sm.stop_inference_experiment(Name=name, ModelVariantActions={"v": "Retain"})
    sm.delete_inference_experiment(Name=name)


def check_flow_definitions(sm):
    name = fresh()
    loop = {"WorkteamArn": "arn:aws:sagemaker:us-east-1:123456789012:workteam/private-crowd/t",
            "HumanTaskUiArn": "arn:aws:sagemaker:us-east-1:123456789012:human-task-ui/u",
            "TaskTitle": "t", "TaskDescription": "d", "TaskCount": 1}
    sm.create_flow_definition(FlowDefinitionName=name, HumanLoopConfig=loop, RoleArn=ROLE,
                              OutputConfig={"S3OutputPath": "s3://b/p", "KmsKeyId": "k"})
    assert name in [f["FlowDefinitionName"] for f in sm.list_flow_definitions()["FlowDefinitionSummaries"]]
    assert sm.describe_flow_definition(FlowDefinitionName=name)["OutputConfig"]["KmsKeyId"] == "k"
    sm.delete_flow_definition(FlowDefinitionName=name)
    try:
        sm.describe_flow_definition(FlowDefinitionName=name)
        raise AssertionError("a deleted flow definition was described")
    except ClientError as err:
        assert err.response["Error"]["Code"] == "ResourceNotFound", err.response


def _serving(sm, config_suffix=""):
    model, old, new, endpoint = fresh(), fresh(), fresh() + config_suffix, fresh()
    sm.create_model(ModelName=model, ExecutionRoleArn=ROLE, PrimaryContainer=IMAGE)
    variant = {"VariantName": "primary", "ModelName": model, "InitialInstanceCount": 1, "InstanceType": "ml.m5.large"}
    for config in (old, new):
        sm.create_endpoint_config(EndpointConfigName=config, ProductionVariants=[variant])
    sm.create_endpoint(EndpointName=endpoint, EndpointConfigName=old)
    return old, new, endpoint


def _settled(sm, endpoint):
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        described = sm.describe_endpoint(EndpointName=endpoint)
        if described["EndpointStatus"] != "Updating":
            return described
        time.sleep(0.05)
    raise AssertionError(f"{endpoint} never left Updating")


def check_update_endpoint(sm):
    old, new, endpoint = _serving(sm)
    sm.update_endpoint(EndpointName=endpoint, EndpointConfigName=new)
    assert sm.describe_endpoint(EndpointName=endpoint)["EndpointStatus"] == "Updating"
    try:
        sm.update_endpoint(EndpointName=endpoint, EndpointConfigName=old)
        raise AssertionError("an Updating endpoint accepted a second update")
    except ClientError as err:
        assert err.response["Error"]["Code"] == "ValidationException", err.response
    described = _settled(sm, endpoint)
    assert described["EndpointStatus"] == "InService", described
    assert described["EndpointConfigName"] == new, described


def check_expired_session_refused(sm):
    # AWS's floor is 900 s; the emulator takes a second, which botocore
    # would refuse before sending.
    sts = boto3.client("sts", region_name="us-east-1", endpoint_url=sm.meta.endpoint_url,
                       aws_access_key_id="testing", aws_secret_access_key="testing",
                       config=Config(parameter_validation=False))
    creds = sts.assume_role(RoleArn="arn:aws:iam::111111111111:role/audit", RoleSessionName="tests",
                            DurationSeconds=1)["Credentials"]
    session = boto3.client("sagemaker", region_name="us-east-1", endpoint_url=sm.meta.endpoint_url,
                           aws_access_key_id=creds["AccessKeyId"], aws_secret_access_key=creds["SecretAccessKey"],
                           aws_session_token=creds["SessionToken"])
    session.list_models()  # fresh: accepted
    time.sleep(1.2)
    try:
        session.list_models()
    except ClientError as err:
        assert err.response["Error"]["Code"] == "ExpiredTokenException", err.response
    else:
        raise AssertionError("a call with expired credentials was accepted")


def check_notebook_imds_kept(sm):
    name = fresh()
    sm.create_notebook_instance(NotebookInstanceName=name, InstanceType="ml.t3.medium", RoleArn=ROLE,
                                InstanceMetadataServiceConfiguration={"MinimumInstanceMetadataServiceVersion": "2"})
    described = sm.describe_notebook_instance(NotebookInstanceName=name)
    assert described.get("InstanceMetadataServiceConfiguration") == {"MinimumInstanceMetadataServiceVersion": "2"}, described


def check_notebook_platform_kept(sm):
    given, default = fresh(), fresh()
    sm.create_notebook_instance(NotebookInstanceName=given, InstanceType="ml.t3.medium", RoleArn=ROLE,
                                PlatformIdentifier="notebook-al2-v3")
    sm.create_notebook_instance(NotebookInstanceName=default, InstanceType="ml.t3.medium", RoleArn=ROLE)
    assert sm.describe_notebook_instance(NotebookInstanceName=given)["PlatformIdentifier"] == "notebook-al2-v3"
    assert sm.describe_notebook_instance(NotebookInstanceName=default)["PlatformIdentifier"] == "notebook-al2023-v1"


def check_notebook_root_access_default(sm):
    name = fresh()
    sm.create_notebook_instance(NotebookInstanceName=name, InstanceType="ml.t3.medium", RoleArn=ROLE)
    described = sm.describe_notebook_instance(NotebookInstanceName=name)
    assert described.get("RootAccess") == "Enabled", described


def check_data_capture_omitted(sm):
    name = fresh()
    sm.create_model(ModelName=name, ExecutionRoleArn=ROLE, PrimaryContainer=IMAGE)
    sm.create_endpoint_config(EndpointConfigName=name, ProductionVariants=[
        {"VariantName": "v", "ModelName": name, "InitialInstanceCount": 1, "InstanceType": "ml.m5.large"}])
    described = sm.describe_endpoint_config(EndpointConfigName=name)
    assert "DataCaptureConfig" not in described, described


def check_schedules_filtered_by_endpoint(sm):
    name = fresh()
    sm.create_data_quality_job_definition(
        JobDefinitionName=name, RoleArn=ROLE,
        DataQualityAppSpecification={"ImageUri": "img"},
        DataQualityJobInput={"EndpointInput": {"EndpointName": name, "LocalPath": "/opt/ml/processing/input"}},
        DataQualityJobOutputConfig={"MonitoringOutputs": [{"S3Output": {"S3Uri": "s3://b/o", "LocalPath": "/opt/ml/processing/output"}}]},
        JobResources={"ClusterConfig": {"InstanceCount": 1, "InstanceType": "ml.m5.large", "VolumeSizeInGB": 20}})
    sm.create_monitoring_schedule(MonitoringScheduleName=name, MonitoringScheduleConfig={
        "MonitoringJobDefinitionName": name, "MonitoringType": "DataQuality",
        "ScheduleConfig": {"ScheduleExpression": "cron(0 * ? * * *)"}})
    mine = sm.list_monitoring_schedules(EndpointName=name)["MonitoringScheduleSummaries"]
    assert [s["MonitoringScheduleName"] for s in mine] == [name], mine
    assert mine[0]["EndpointName"] == name, mine
    assert sm.list_monitoring_schedules(EndpointName=fresh())["MonitoringScheduleSummaries"] == []


def check_notebook_update(sm):
    name = fresh()
    sm.create_notebook_instance(NotebookInstanceName=name, InstanceType="ml.t3.medium", RoleArn=ROLE)
    try:
        sm.update_notebook_instance(NotebookInstanceName=name, RootAccess="Disabled")
        raise AssertionError("an InService notebook instance was updated")
    except ClientError as err:
        assert "not in ([Stopped, Failed])" in str(err), err
    sm.stop_notebook_instance(NotebookInstanceName=name)
    sm.update_notebook_instance(NotebookInstanceName=name, RootAccess="Disabled",
                                InstanceMetadataServiceConfiguration={"MinimumInstanceMetadataServiceVersion": "2"})
    described = sm.describe_notebook_instance(NotebookInstanceName=name)
    assert described["RootAccess"] == "Disabled", described
    assert described["InstanceMetadataServiceConfiguration"] == {"MinimumInstanceMetadataServiceVersion": "2"}, described


def check_domain_update(sm):
    name = fresh()
    sm.create_domain(DomainName=name, AuthMode="IAM", DefaultUserSettings={"ExecutionRole": ROLE},
                     SubnetIds=["subnet-1"], VpcId="vpc-1")
    domain_id = f"d-{name}"
    sm.update_domain(DomainId=domain_id, AppNetworkAccessType="VpcOnly",
                     DefaultUserSettings={"SecurityGroups": ["sg-1"]})
    described = sm.describe_domain(DomainId=domain_id)
    assert described["AppNetworkAccessType"] == "VpcOnly", described
    assert described["DefaultUserSettings"] == {"ExecutionRole": ROLE, "SecurityGroups": ["sg-1"]}, described


def check_aws_managed_keys(sm):
    # sm is a SageMaker client; KMS is reached on the same endpoint.
    kms = beside(sm, "kms")
    by_alias = kms.describe_key(KeyId="alias/aws/sagemaker")["KeyMetadata"]
    assert by_alias["KeyManager"] == "AWS", by_alias
    by_arn = kms.describe_key(KeyId=by_alias["Arn"])["KeyMetadata"]
    assert by_arn["KeyManager"] == "AWS" and by_arn["KeyId"] == by_alias["KeyId"], by_arn
    assert kms.describe_key(KeyId="alias/aws/ebs")["KeyMetadata"]["KeyManager"] == "AWS"
    mine = kms.create_key()["KeyMetadata"]
    assert kms.describe_key(KeyId=mine["KeyId"])["KeyMetadata"]["KeyManager"] == "CUSTOMER"


def check_gateway_update_replaces(sm):
    # sm is a SageMaker client; AgentCore is reached on the same endpoint.
    ac = beside(sm, "bedrock-agentcore-control")
    role = "arn:aws:iam::123456789012:role/gateway"
    made = ac.create_gateway(name=fresh(), roleArn=role, protocolType="MCP", authorizerType="AWS_IAM",
                             exceptionLevel="DEBUG", kmsKeyArn="arn:aws:kms:us-east-1:123456789012:key/k")
    ac.update_gateway(gatewayIdentifier=made["gatewayId"], name=made["name"], roleArn=role, protocolType="MCP",
                      authorizerType="AWS_IAM")
    after = ac.get_gateway(gatewayIdentifier=made["gatewayId"])
    assert "exceptionLevel" not in after and "kmsKeyArn" not in after, after


def check_agentcore_in_every_region(sm):
    ac = beside(sm, "bedrock-agentcore-control", "eu-south-1")
    assert ac.list_agent_runtimes()["agentRuntimes"] == []


def check_agentcore_tools(sm):
    ac = beside(sm, "bedrock-agentcore-control")
    recording = {"enabled": True, "s3Location": {"bucket": "acme-recordings", "prefix": "browser/"}}
    browser = ac.create_browser(name="b_" + fresh()[2:], networkConfiguration={"networkMode": "PUBLIC"},
                                recording=recording, executionRoleArn="arn:aws:iam::123456789012:role/browser")
    got = ac.get_browser(browserId=browser["browserId"])
    assert got["networkConfiguration"] == {"networkMode": "PUBLIC"} and got["recording"] == recording, got
    listed = ac.list_browsers(type="CUSTOM")["browserSummaries"]
    assert browser["browserId"] in [b["browserId"] for b in listed], listed
    assert ac.list_browsers(type="SYSTEM")["browserSummaries"] == []
    interpreter = ac.create_code_interpreter(name="c_" + fresh()[2:], networkConfiguration={"networkMode": "SANDBOX"})
    got = ac.get_code_interpreter(codeInterpreterId=interpreter["codeInterpreterId"])
    assert got["networkConfiguration"] == {"networkMode": "SANDBOX"}, got
    ac.delete_code_interpreter(codeInterpreterId=interpreter["codeInterpreterId"])
    try:
        ac.get_code_interpreter(codeInterpreterId=interpreter["codeInterpreterId"])
        raise AssertionError("a deleted code interpreter is still there")
    except ClientError as err:
        assert err.response["Error"]["Code"] == "ResourceNotFoundException", err.response


def check_knowledge_base_data_sources(sm):
    ba = beside(sm, "bedrock-agent")
    kb = ba.create_knowledge_base(
        name=fresh(), roleArn="arn:aws:iam::123456789012:role/kb",
        knowledgeBaseConfiguration={"type": "VECTOR", "vectorKnowledgeBaseConfiguration": {
            "embeddingModelArn": "arn:aws:bedrock:us-east-1::foundation-model/amazon.titan-embed-text-v2:0"}},
        storageConfiguration={"type": "OPENSEARCH_SERVERLESS", "opensearchServerlessConfiguration": {
            "collectionArn": "arn:aws:aoss:us-east-1:123456789012:collection/abc", "vectorIndexName": "i",
            "fieldMapping": {"vectorField": "v", "textField": "t", "metadataField": "m"}}},
    )["knowledgeBase"]["knowledgeBaseId"]
    s3 = {"type": "S3", "s3Configuration": {"bucketArn": "arn:aws:s3:::acme-manuals"}}
    key = {"kmsKeyArn": "arn:aws:kms:us-east-1:123456789012:key/k"}
    made = ba.create_data_source(knowledgeBaseId=kb, name="manuals", dataSourceConfiguration=s3,
                                 serverSideEncryptionConfiguration=key)["dataSource"]
    got = ba.get_data_source(knowledgeBaseId=kb, dataSourceId=made["dataSourceId"])["dataSource"]
    assert got["serverSideEncryptionConfiguration"] == key, got
    listed = ba.list_data_sources(knowledgeBaseId=kb)["dataSourceSummaries"]
    assert [s["dataSourceId"] for s in listed] == [made["dataSourceId"]], listed
    ba.update_data_source(knowledgeBaseId=kb, dataSourceId=made["dataSourceId"], name="manuals",
                          dataSourceConfiguration=s3)
    got = ba.get_data_source(knowledgeBaseId=kb, dataSourceId=made["dataSourceId"])["dataSource"]
    assert "serverSideEncryptionConfiguration" not in got, got


def check_agents_and_guardrails(sm):
    client = lambda name: beside(sm, name)
    bedrock, ba = client("bedrock"), client("bedrock-agent")
    made = bedrock.create_guardrail(name=fresh(), blockedInputMessaging="no", blockedOutputsMessaging="no",
                                    contentPolicyConfig={"filtersConfig": [
                                        {"type": "PROMPT_ATTACK", "inputStrength": "HIGH", "outputStrength": "NONE"}]},
                                    kmsKeyId="arn:aws:kms:us-east-1:123456789012:key/k")
    got = bedrock.get_guardrail(guardrailIdentifier=made["guardrailId"])
    assert got["contentPolicy"]["filters"][0]["inputStrength"] == "HIGH", got
    assert got["kmsKeyArn"] == "arn:aws:kms:us-east-1:123456789012:key/k", got
    assert made["guardrailId"] in [g["id"] for g in bedrock.list_guardrails()["guardrails"]]
    role = "arn:aws:iam::123456789012:role/agent"
    guard = {"guardrailIdentifier": made["guardrailId"], "guardrailVersion": "DRAFT"}
    agent = ba.create_agent(agentName=fresh(), agentResourceRoleArn=role, foundationModel="m",
                            guardrailConfiguration=guard)["agent"]
    assert ba.get_agent(agentId=agent["agentId"])["agent"]["guardrailConfiguration"] == guard
    # An update replaces the settings: the guardrail it omits is gone.
    ba.update_agent(agentId=agent["agentId"], agentName=agent["agentName"], agentResourceRoleArn=role,
                    foundationModel="m", customerEncryptionKeyArn="arn:aws:kms:us-east-1:123456789012:key/k")
    got = ba.get_agent(agentId=agent["agentId"])["agent"]
    assert "guardrailConfiguration" not in got and got["agentStatus"] == "NOT_PREPARED", got
    assert got["customerEncryptionKeyArn"].endswith(":key/k"), got
    assert ba.prepare_agent(agentId=agent["agentId"])["agentStatus"] == "PREPARED"
    bedrock.update_guardrail(guardrailIdentifier=made["guardrailId"], name="renamed", blockedInputMessaging="no",
                             blockedOutputsMessaging="no", contextualGroundingPolicyConfig={"filtersConfig": [
                                 {"type": "GROUNDING", "threshold": 0.7}]})
    got = bedrock.get_guardrail(guardrailIdentifier=made["guardrailArn"])
    assert "contentPolicy" not in got and got["contextualGroundingPolicy"]["filters"][0]["type"] == "GROUNDING", got
    version = bedrock.create_guardrail_version(guardrailIdentifier=made["guardrailId"])
    assert version["version"] == "1", version
    bedrock.delete_guardrail(guardrailIdentifier=made["guardrailId"])
    try:
        bedrock.get_guardrail(guardrailIdentifier=made["guardrailId"])
        raise AssertionError("a deleted guardrail is still there")
    except ClientError as err:
        assert err.response["Error"]["Code"] == "ResourceNotFoundException", err.response


def check_prompts(sm):
    ba = beside(sm, "bedrock-agent")
    key = "arn:aws:kms:us-east-1:123456789012:key/k"
    variants = [{"name": "main", "templateType": "TEXT", "templateConfiguration": {"text": {"text": "Hi {{n}}"}}}]
    made = ba.create_prompt(name=fresh(), customerEncryptionKeyArn=key, defaultVariant="main", variants=variants)
    got = ba.get_prompt(promptIdentifier=made["id"])
    assert got["customerEncryptionKeyArn"] == key and got["variants"][0]["name"] == "main", got
    assert made["id"] in [p["id"] for p in ba.list_prompts()["promptSummaries"]]
    # An update replaces the prompt: the key it omits is gone.
    ba.update_prompt(promptIdentifier=made["id"], name=made["name"], defaultVariant="main", variants=variants)
    got = ba.get_prompt(promptIdentifier=made["arn"])
    assert "customerEncryptionKeyArn" not in got, got
    assert ba.create_prompt_version(promptIdentifier=made["id"])["version"] == "1"
    ba.delete_prompt(promptIdentifier=made["id"])
    try:
        ba.get_prompt(promptIdentifier=made["id"])
        raise AssertionError("a deleted prompt is still there")
    except ClientError as err:
        assert err.response["Error"]["Code"] == "ResourceNotFoundException", err.response


def check_flows(sm):
    ba = beside(sm, "bedrock-agent")
    role, key = "arn:aws:iam::123456789012:role/f", "arn:aws:kms:us-east-1:123456789012:key/k"
    guarded = {"name": "Answer", "type": "Prompt", "configuration": {"prompt": {
        "sourceConfiguration": {"resource": {"promptArn": "arn:aws:bedrock:us-east-1:123456789012:prompt/P"}},
        "guardrailConfiguration": {"guardrailIdentifier": "g1", "guardrailVersion": "1"}}}}
    made = ba.create_flow(name=fresh(), executionRoleArn=role, customerEncryptionKeyArn=key,
                          definition={"nodes": [guarded]})
    got = ba.get_flow(flowIdentifier=made["id"])
    assert got["definition"]["nodes"][0]["configuration"]["prompt"]["guardrailConfiguration"]["guardrailIdentifier"] == "g1", got
    assert got["customerEncryptionKeyArn"] == key, got
    assert made["id"] in [f["id"] for f in ba.list_flows()["flowSummaries"]]
    # An update replaces the flow: the definition and key it omits are gone.
    ba.update_flow(flowIdentifier=made["id"], name=made["name"], executionRoleArn=role)
    got = ba.get_flow(flowIdentifier=made["arn"])
    assert "definition" not in got and "customerEncryptionKeyArn" not in got, got
    ba.delete_flow(flowIdentifier=made["id"])
    try:
        ba.get_flow(flowIdentifier=made["id"])
        raise AssertionError("a deleted flow is still there")
    except ClientError as err:
        assert err.response["Error"]["Code"] == "ResourceNotFoundException", err.response


def check_bedrock_full_access_attachable(sm):
    iam = beside(sm, "iam")
    role = fresh()
    trust = json.dumps({"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}]})
    iam.create_role(RoleName=role, AssumeRolePolicyDocument=trust)
    arn = "arn:aws:iam::aws:policy/AmazonBedrockFullAccess"
    iam.attach_role_policy(RoleName=role, PolicyArn=arn)
    roles = iam.list_entities_for_policy(PolicyArn=arn, EntityFilter="Role")["PolicyRoles"]
    assert role in [r["RoleName"] for r in roles], roles
    iam.detach_role_policy(RoleName=role, PolicyArn=arn)
    iam.delete_role(RoleName=role)


def check_service_specific_credentials(sm):
    iam = beside(sm, "iam")
    user = fresh()
    iam.create_user(UserName=user)
    never = iam.create_service_specific_credential(UserName=user, ServiceName="bedrock.amazonaws.com")
    month = iam.create_service_specific_credential(UserName=user, ServiceName="bedrock.amazonaws.com", CredentialAgeDays=30)
    mine = iam.list_service_specific_credentials(UserName=user)["ServiceSpecificCredentials"]
    assert len(mine) == 2, mine
    every = iam.list_service_specific_credentials(AllUsers=True, ServiceName="bedrock.amazonaws.com")["ServiceSpecificCredentials"]
    by_id = {c["ServiceSpecificCredentialId"]: c for c in every}
    never_id = never["ServiceSpecificCredential"]["ServiceSpecificCredentialId"]
    month_id = month["ServiceSpecificCredential"]["ServiceSpecificCredentialId"]
    assert "ExpirationDate" not in by_id[never_id] and "ExpirationDate" in by_id[month_id], every
    iam.update_service_specific_credential(UserName=user, ServiceSpecificCredentialId=never_id, Status="Inactive")
    listed = iam.list_service_specific_credentials(UserName=user)["ServiceSpecificCredentials"]
    assert {c["ServiceSpecificCredentialId"]: c["Status"] for c in listed}[never_id] == "Inactive", listed
    for made in (never_id, month_id):
        iam.delete_service_specific_credential(UserName=user, ServiceSpecificCredentialId=made)
    assert iam.list_service_specific_credentials(UserName=user)["ServiceSpecificCredentials"] == []


def check_custom_model_keys(sm):
    bedrock = beside(sm, "bedrock")
    common = dict(roleArn="arn:aws:iam::123456789012:role/c", baseModelIdentifier="amazon.titan-text-express-v1",
                  trainingDataConfig={"s3Uri": "s3://b/t.jsonl"}, outputDataConfig={"s3Uri": "s3://b/o/"},
                  hyperParameters={"epochCount": "1"})
    plain, keyed = fresh(), fresh()
    bedrock.create_model_customization_job(jobName=plain + "-job", customModelName=plain, **common)
    key = "arn:aws:kms:us-east-1:123456789012:key/k"
    bedrock.create_model_customization_job(jobName=keyed + "-job", customModelName=keyed, customModelKmsKeyId=key,
                                           **common)
    assert "modelKmsKeyArn" not in bedrock.get_custom_model(modelIdentifier=plain), "a key was invented"
    assert bedrock.get_custom_model(modelIdentifier=keyed)["modelKmsKeyArn"] == key
    arn = bedrock.get_custom_model(modelIdentifier=plain)["jobArn"]
    job = bedrock.get_model_customization_job(jobIdentifier=arn)
    assert "outputModelKmsKeyArn" not in job and job["outputModelName"] == plain, job


def check_logging_off_is_absent(sm):
    bedrock = beside(sm, "bedrock", "ap-south-1")
    assert "loggingConfig" not in bedrock.get_model_invocation_logging_configuration()
    bedrock.put_model_invocation_logging_configuration(loggingConfig={"s3Config": {"bucketName": "acme-logs"}})
    got = bedrock.get_model_invocation_logging_configuration()
    assert got["loggingConfig"]["s3Config"]["bucketName"] == "acme-logs", got
    bedrock.delete_model_invocation_logging_configuration()
    assert "loggingConfig" not in bedrock.get_model_invocation_logging_configuration()


def check_log_group_key_set_and_cleared(sm):
    logs = beside(sm, "logs", "ap-south-1")
    logs.create_log_group(logGroupName="/bedrock/keyed")
    key = "arn:aws:kms:ap-south-1:123456789012:key/k"
    logs.associate_kms_key(logGroupName="/bedrock/keyed", kmsKeyId=key)
    group = logs.describe_log_groups(logGroupNamePrefix="/bedrock/keyed")["logGroups"][0]
    assert group["kmsKeyId"] == key, group
    logs.disassociate_kms_key(logGroupName="/bedrock/keyed")
    group = logs.describe_log_groups(logGroupNamePrefix="/bedrock/keyed")["logGroups"][0]
    assert "kmsKeyId" not in group, group
    try:
        logs.associate_kms_key(logGroupName="/bedrock/none", kmsKeyId=key)
    except logs.exceptions.ResourceNotFoundException:
        pass
    else:
        raise AssertionError("a missing group took a key")


def check_imported_models(sm):
    bedrock = beside(sm, "bedrock", "ap-south-1")
    source = {"s3DataSource": {"s3Uri": "s3://acme-models/llama/"}}
    role = "arn:aws:iam::123456789012:role/import"
    key = "arn:aws:kms:ap-south-1:123456789012:key/k"
    bedrock.create_model_import_job(jobName="plain-import", importedModelName="plain", roleArn=role,
                                    modelDataSource=source)
    bedrock.create_model_import_job(jobName="keyed-import", importedModelName="keyed", roleArn=role,
                                    modelDataSource=source, importedModelKmsKeyId=key)
    names = [m["modelName"] for m in bedrock.list_imported_models()["modelSummaries"]]
    assert names == ["plain", "keyed"], names
    assert "modelKmsKeyArn" not in bedrock.get_imported_model(modelIdentifier="plain")
    keyed = bedrock.get_imported_model(modelIdentifier="keyed")
    assert keyed["modelKmsKeyArn"] == key, keyed
    assert bedrock.get_imported_model(modelIdentifier=keyed["modelArn"])["modelName"] == "keyed"
    bedrock.delete_imported_model(modelIdentifier="plain")
    try:
        bedrock.get_imported_model(modelIdentifier="plain")
    except bedrock.exceptions.ResourceNotFoundException:
        pass
    else:
        raise AssertionError("a deleted imported model is still found")


def check_invocation_jobs(sm):
    bedrock = beside(sm, "bedrock", "ap-south-1")
    key = "arn:aws:kms:ap-south-1:123456789012:key/k"
    common = {"roleArn": "arn:aws:iam::123456789012:role/batch", "modelId": "anthropic.claude-3-5-sonnet-20240620-v1:0",
              "inputDataConfig": {"s3InputDataConfig": {"s3Uri": "s3://acme-batch/in/"}}}
    plain = bedrock.create_model_invocation_job(
        jobName="plain", outputDataConfig={"s3OutputDataConfig": {"s3Uri": "s3://acme-batch/out/"}}, **common)["jobArn"]
    bedrock.create_model_invocation_job(
        jobName="keyed", outputDataConfig={"s3OutputDataConfig": {"s3Uri": "s3://acme-batch/out/",
                                                                  "s3EncryptionKeyId": key}}, **common)
    names = [j["jobName"] for j in bedrock.list_model_invocation_jobs()["invocationJobSummaries"]]
    assert names == ["plain", "keyed"], names
    got = bedrock.get_model_invocation_job(jobIdentifier=plain)
    assert "s3EncryptionKeyId" not in got["outputDataConfig"]["s3OutputDataConfig"], got
    from datetime import datetime, timedelta
    later = bedrock.list_model_invocation_jobs(submitTimeAfter=datetime.utcnow() + timedelta(days=1))
    assert later["invocationJobSummaries"] == [], later


CHECKS = [
    check_isolation_kept,
    check_inference_execution_config_kept,
    check_duplicate_rejected,
    check_empty_fields_omitted,
    check_pagination,
    check_summaries_only,
    check_shadow_variants_kept,
    check_monitoring_schedules,
    check_update_endpoint,
    check_expired_session_refused,
    check_notebook_imds_kept,
    check_notebook_platform_kept,
    check_notebook_root_access_default,
    check_notebook_update,
    check_data_capture_omitted,
    check_schedules_filtered_by_endpoint,
    check_update_monitoring_schedule,
    check_feature_groups,
    check_update_cluster,
    check_notebook_lifecycle_configs,
    check_images_and_tags,
    check_inference_experiments,
    check_flow_definitions,
    check_gateway_update_replaces,
    check_agentcore_in_every_region,
    check_agentcore_tools,
    check_knowledge_base_data_sources,
    check_agents_and_guardrails,
    check_prompts,
    check_flows,
    check_bedrock_full_access_attachable,
    check_service_specific_credentials,
    check_custom_model_keys,
    check_logging_off_is_absent,
    check_log_group_key_set_and_cleared,
    check_imported_models,
    check_invocation_jobs,
    check_domain_update,
    check_aws_managed_keys,
]


class Fixes(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.procs = []
        for name, flags in [("patched", ()), ("stock", ("--stock",)), ("empty", ("--empty-first-page",)),
                            ("cycle", ("--token-cycle",)),
                            ("failing", ("--failing-update", "*-bad", "--slow-update", "*-slow:1"))]:
            proc, url = start(*flags)
            cls.procs.append(proc)
            setattr(cls, name, client(url))

    @classmethod
    def tearDownClass(cls):
        for proc in cls.procs:
            proc.kill()
            proc.wait()

    def test_each_fix_holds_when_patched(self):
        for check in CHECKS:
            with self.subTest(check=check.__name__):
                check(self.patched)

    def test_each_fix_fails_on_stock_moto(self):
        for check in CHECKS:
            with self.subTest(check=check.__name__):
                # An operation stock moto lacks may answer what botocore cannot parse.
                with self.assertRaises((AssertionError, ClientError, KeyError, NotImplementedError, ResponseParserError)):
                    check(self.stock)

    def test_empty_first_page_carries_a_token(self):
        self.empty.create_model(ModelName=fresh(), ExecutionRoleArn=ROLE, PrimaryContainer=IMAGE)
        first = self.empty.list_models()
        self.assertEqual(first["Models"], [])
        self.assertIn("NextToken", first)
        second = self.empty.list_models(NextToken=first["NextToken"])
        self.assertEqual(len(second["Models"]), 1)

    def test_a_token_cycle_points_the_last_page_back_to_the_first(self):
        name = fresh()
        self.cycle.create_model(ModelName=name, ExecutionRoleArn=ROLE, PrimaryContainer=IMAGE)
        first = self.cycle.list_models(MaxResults=100)
        again = self.cycle.list_models(MaxResults=100, NextToken=first["NextToken"])
        self.assertEqual([m["ModelName"] for m in again["Models"]], [m["ModelName"] for m in first["Models"]])
        self.assertEqual(again["NextToken"], first["NextToken"])

    def test_a_failing_update_leaves_the_endpoint_on_its_old_config(self):
        old, new, endpoint = _serving(self.failing, "-bad")
        self.failing.update_endpoint(EndpointName=endpoint, EndpointConfigName=new)
        described = _settled(self.failing, endpoint)
        self.assertEqual(described["EndpointStatus"], "InService")
        self.assertEqual(described["EndpointConfigName"], old)
        self.assertIn("FailureReason", described)

    def test_a_slow_update_stays_updating_for_its_seconds(self):
        _, new, endpoint = _serving(self.failing, "-slow")
        self.failing.update_endpoint(EndpointName=endpoint, EndpointConfigName=new)
        time.sleep(0.6)
        self.assertEqual(self.failing.describe_endpoint(EndpointName=endpoint)["EndpointStatus"], "Updating")
        self.assertEqual(_settled(self.failing, endpoint)["EndpointConfigName"], new)


if __name__ == "__main__":
    unittest.main()
