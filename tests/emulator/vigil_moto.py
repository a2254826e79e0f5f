"""Start moto's server with the fixes Vigil's tests need (see README.md here).

Each fix closes a gap between moto 5.2.5 and real SageMaker that a Vigil test
would otherwise walk into. They are applied by replacing methods at start-up,
never by editing moto's files, and refuse to run on any other moto version.

Usage: python vigil_moto.py [--port 0] [--stock] [--empty-first-page]
                            [--update-seconds S] [--failing-update GLOB]
                            [--slow-update GLOB:SECONDS]
Prints one line, ``listening on http://127.0.0.1:PORT``, then serves forever.
"""

from __future__ import annotations

import argparse
import base64
import fnmatch
import json
import logging
import sys
import threading
from datetime import datetime

import moto

PINNED = "5.2.5"

# Real SageMaker caps ListModels pages at 100; its default page is smaller.
MAX_PAGE = 100
DEFAULT_PAGE = 10


def _encode_token(offset: int) -> str:
    return base64.urlsafe_b64encode(json.dumps({"offset": offset}).encode()).decode()


def _decode_token(token: str) -> int:
    from moto.sagemaker.exceptions import ValidationError

    try:
        return int(json.loads(base64.urlsafe_b64decode(token.encode()))["offset"])
    except Exception:  # noqa: BLE001 - any malformed token is the caller's fault
        raise ValidationError(message=f"Invalid pagination token '{token}'.")


def _page(self_resp, field, items, summary):
    """One page of `items` as AWS pages a listing: MaxResults (1 to 100,
    DEFAULT_PAGE when not given) and an opaque NextToken while more remain."""
    from moto.sagemaker.exceptions import ValidationError

    max_results = int(self_resp._get_param("MaxResults") or DEFAULT_PAGE)
    if not 1 <= max_results <= MAX_PAGE:
        raise ValidationError(message=f"Value '{max_results}' at 'maxResults' failed to satisfy constraint: Member must have value between 1 and {MAX_PAGE}")
    token = self_resp._get_param("NextToken")
    start = _decode_token(token) if token else 0
    answer = {field: [summary(item) for item in items[start:start + max_results]]}
    if start + max_results < len(items):
        answer["NextToken"] = _encode_token(start + max_results)
    return answer


def _as_datetime(value):
    if value is None or isinstance(value, datetime):
        return value
    if isinstance(value, (int, float)):
        return datetime.utcfromtimestamp(value)
    return datetime.fromisoformat(str(value).replace("Z", "+00:00")).replace(tzinfo=None)


def patch(empty_first_page: bool = False, token_cycle: bool = False, update_seconds: float = 0.3, failing_update: str | None = None,
          slow_update: tuple[str, float] | None = None) -> None:
    """Apply every fix. Separate from main() so the tests can see each one."""
    if moto.__version__ != PINNED:
        sys.exit(f"vigil_moto: written for moto {PINNED}, found {moto.__version__}")

    from moto.sagemaker import models as sm_models
    from moto.sagemaker.exceptions import ConflictException, ResourceInUseException, ResourceNotFound, ValidationError
    from moto.sagemaker.responses import SageMakerResponse
    from moto.core.responses import ActionResult
    from moto.core.utils import utcnow

    backend_cls = sm_models.SageMakerModelBackend
    stock_create = backend_cls.create_model

    # Fix 1 and 4: keep EnableNetworkIsolation and InferenceExecutionConfig;
    # refuse a duplicate name and a request without a name, as AWS does.
    def create_model(self_resp):
        name = self_resp._get_param("ModelName")
        if not name:
            raise ValidationError(message="1 validation error detected: Value null at 'modelName' failed to satisfy constraint: Member must not be null")
        backend = self_resp.sagemaker_backend
        if name in backend._models:
            arn = backend._models[name].arn
            raise ValidationError(message=f"Cannot create already existing model \"{arn}\".")
        model = stock_create(
            backend,
            model_name=name,
            execution_role_arn=self_resp._get_param("ExecutionRoleArn"),
            primary_container=self_resp._get_param("PrimaryContainer"),
            vpc_config=self_resp._get_param("VpcConfig"),
            containers=self_resp._get_param("Containers"),
            tags=self_resp._get_param("Tags"),
        )
        model.enable_network_isolation = bool(self_resp._get_param("EnableNetworkIsolation", False))
        model.inference_execution_config = self_resp._get_param("InferenceExecutionConfig")
        return ActionResult(model.response_create)

    # Fix 5: AWS omits what was not given instead of answering {} or [].
    def model_response(model) -> dict:
        out = {
            "ModelName": model.model_name,
            "ModelArn": model.arn,
            "CreationTime": model.creation_time,
            "ExecutionRoleArn": model.execution_role_arn,
            "EnableNetworkIsolation": bool(getattr(model, "enable_network_isolation", False)),
        }
        if model.primary_container:
            out["PrimaryContainer"] = model.primary_container
        if model.containers:
            out["Containers"] = model.containers
        if model.vpc_config:
            out["VpcConfig"] = model.vpc_config
        iec = getattr(model, "inference_execution_config", None)
        if iec:
            out["InferenceExecutionConfig"] = iec
        return out

    def describe_model(self_resp):
        model = self_resp.sagemaker_backend.describe_model(self_resp._get_param("ModelName"))
        return ActionResult(model_response(model))

    # Fix 2: pages of at most MaxResults (1..100), NextToken, NameContains,
    # CreationTimeAfter/Before, SortBy/SortOrder; summaries only, as AWS.
    def list_models(self_resp):
        max_results = self_resp._get_param("MaxResults") or DEFAULT_PAGE
        if not 1 <= int(max_results) <= MAX_PAGE:
            raise ValidationError(message=f"Value '{max_results}' at 'maxResults' failed to satisfy constraint: Member must have value between 1 and {MAX_PAGE}")
        token = self_resp._get_param("NextToken")
        name_contains = self_resp._get_param("NameContains")
        after = _as_datetime(self_resp._get_param("CreationTimeAfter"))
        before = _as_datetime(self_resp._get_param("CreationTimeBefore"))
        sort_by = self_resp._get_param("SortBy") or "CreationTime"
        descending = (self_resp._get_param("SortOrder") or "Descending") == "Descending"

        models = list(self_resp.sagemaker_backend._models.values())
        if name_contains:
            models = [m for m in models if name_contains.lower() in m.model_name.lower()]
        if after:
            models = [m for m in models if m.creation_time.replace(tzinfo=None) > after]
        if before:
            models = [m for m in models if m.creation_time.replace(tzinfo=None) < before]
        key = (lambda m: m.model_name) if sort_by == "Name" else (lambda m: (m.creation_time, m.model_name))
        models.sort(key=key, reverse=descending)

        if token is None and empty_first_page:
            # Real SageMaker may answer an empty page that still carries a token.
            return ActionResult({"Models": [], "NextToken": _encode_token(0)})
        start = _decode_token(token) if token else 0
        page = models[start : start + int(max_results)]
        result = {
            "Models": [
                {"ModelName": m.model_name, "ModelArn": m.arn, "CreationTime": m.creation_time}
                for m in page
            ]
        }
        if start + int(max_results) < len(models):
            result["NextToken"] = _encode_token(start + int(max_results))
        elif token_cycle:
            # A broken endpoint: the last page points back to the first.
            result["NextToken"] = _encode_token(0)
        return ActionResult(result)

    # Fix 7: CreateEndpointConfig drops ShadowProductionVariants,
    # ExplainerConfig, EnableNetworkIsolation, ExecutionRoleArn and VpcConfig.
    stock_create_config = SageMakerResponse.create_endpoint_config
    kept = ["ShadowProductionVariants", "ExplainerConfig", "EnableNetworkIsolation", "ExecutionRoleArn", "VpcConfig"]

    def create_endpoint_config(self_resp):
        result = stock_create_config(self_resp)
        config = self_resp.sagemaker_backend.endpoint_configs[self_resp._get_param("EndpointConfigName")]
        for key in kept:
            value = self_resp._get_param(key)
            if value is not None:
                # moto's describe turns snake_case attributes into the API's keys.
                setattr(config, "".join("_" + c.lower() if c.isupper() else c for c in key).lstrip("_"), value)
        return result

    # Fix 16: moto describes `DataCaptureConfig: {}` when none was given;
    # AWS omits it (and a present one means capture is on).
    def describe_endpoint_config(self_resp):
        described = dict(self_resp.sagemaker_backend.describe_endpoint_config(self_resp._get_param("EndpointConfigName")))
        if not described.get("DataCaptureConfig"):
            described.pop("DataCaptureConfig", None)
        return ActionResult(described)

    SageMakerResponse.create_endpoint_config = create_endpoint_config
    SageMakerResponse.describe_endpoint_config = describe_endpoint_config

    # Fix 8: monitoring schedules are missing: Create, Describe, List, Delete.
    def schedules(backend) -> dict:
        if not hasattr(backend, "vigil_monitoring_schedules"):
            backend.vigil_monitoring_schedules = {}
        return backend.vigil_monitoring_schedules

    def create_monitoring_schedule(self_resp):
        backend = self_resp.sagemaker_backend
        name = self_resp._get_param("MonitoringScheduleName")
        if name in schedules(backend):
            raise ValidationError(message=f"Monitoring schedule {name} already exists")
        arn = f"arn:aws:sagemaker:{backend.region_name}:{backend.account_id}:monitoring-schedule/{name.lower()}"
        now = utcnow()
        schedules(backend)[name] = {
            "MonitoringScheduleName": name,
            "MonitoringScheduleArn": arn,
            "MonitoringScheduleStatus": "Scheduled",
            "MonitoringScheduleConfig": self_resp._get_param("MonitoringScheduleConfig"),
            "EndpointName": monitored_endpoint(backend, self_resp._get_param("MonitoringScheduleConfig") or {}),
            "CreationTime": now,
            "LastModifiedTime": now,
        }
        return ActionResult({"MonitoringScheduleArn": arn})

    def describe_monitoring_schedule(self_resp):
        name = self_resp._get_param("MonitoringScheduleName")
        found = schedules(self_resp.sagemaker_backend).get(name)
        if found is None:
            raise ValidationError(message=f"Could not find monitoring schedule {name}")
        return ActionResult(found)

    # Fix 17: AWS records the endpoint a schedule monitors (its job's
    # EndpointInput, embedded or in the definition it names), answers it in
    # the summaries and filters ListMonitoringSchedules by EndpointName.
    def monitored_endpoint(backend, config):
        embedded = config.get("MonitoringJobDefinition")
        if embedded:
            for source in embedded.get("MonitoringInputs", []):
                name = source.get("EndpointInput", {}).get("EndpointName")
                if name:
                    return name
            return None
        named = config.get("MonitoringJobDefinitionName")
        for store, job_input in (("data_quality_job_definitions", "data_quality_job_input"),
                                 ("model_quality_job_definitions", "model_quality_job_input"),
                                 ("model_bias_job_definitions", "model_bias_job_input"),
                                 ("model_explainability_job_definitions", "model_explainability_job_input")):
            definition = getattr(backend, store, {}).get(named)
            if definition is not None:
                return (getattr(definition, job_input, None) or {}).get("EndpointInput", {}).get("EndpointName")
        return None

    def list_monitoring_schedules(self_resp):
        keys = ["MonitoringScheduleName", "MonitoringScheduleArn", "CreationTime", "LastModifiedTime",
                "MonitoringScheduleStatus", "EndpointName"]
        wanted = self_resp._get_param("EndpointName")
        found = [{k: s[k] for k in keys if s.get(k) is not None} for s in schedules(self_resp.sagemaker_backend).values()
                 if wanted is None or s.get("EndpointName") == wanted]
        return ActionResult({"MonitoringScheduleSummaries": found})

    def delete_monitoring_schedule(self_resp):
        schedules(self_resp.sagemaker_backend).pop(self_resp._get_param("MonitoringScheduleName"), None)
        return ActionResult({})

    # Fix 18: UpdateMonitoringSchedule is missing. AWS replaces the whole
    # MonitoringScheduleConfig (pointing a schedule at a new definition is
    # how an immutable definition is replaced) and refuses unknown names.
    def update_monitoring_schedule(self_resp):
        backend = self_resp.sagemaker_backend
        name = self_resp._get_param("MonitoringScheduleName")
        found = schedules(backend).get(name)
        if found is None:
            raise ValidationError(message=f"Could not find monitoring schedule {name}")
        config = self_resp._get_param("MonitoringScheduleConfig") or {}
        found["MonitoringScheduleConfig"] = config
        found["EndpointName"] = monitored_endpoint(backend, config)
        found["LastModifiedTime"] = utcnow()
        return ActionResult({"MonitoringScheduleArn": found["MonitoringScheduleArn"]})

    # Fix 9: UpdateEndpoint is missing. As on AWS, the endpoint is Updating
    # for a while (update_seconds), then InService on the new configuration;
    # an endpoint that is not InService cannot be updated. A deployment that
    # fails (configurations matching failing_update) leaves the endpoint
    # InService on its previous configuration with a FailureReason, which is
    # what SageMaker's blue/green deployment does when the new fleet fails.
    def update_endpoint(self_resp):
        backend = self_resp.sagemaker_backend
        name = self_resp._get_param("EndpointName")
        config_name = self_resp._get_param("EndpointConfigName")
        endpoint = backend.endpoints.get(name)
        if endpoint is None:
            arn = f"arn:aws:sagemaker:{backend.region_name}:{backend.account_id}:endpoint/{name}"
            raise ValidationError(message=f"Could not find endpoint \"{arn}\".")
        if config_name not in backend.endpoint_configs:
            arn = f"arn:aws:sagemaker:{backend.region_name}:{backend.account_id}:endpoint-config/{config_name}"
            raise ValidationError(message=f"Could not find endpoint configuration \"{arn}\".")
        if endpoint.endpoint_status != "InService":
            raise ValidationError(message=f"Cannot update in-progress endpoint \"{endpoint.arn}\".")
        endpoint.endpoint_status = "Updating"
        endpoint.failure_reason = None
        endpoint.last_modified_time = utcnow()

        def settle():
            if failing_update and fnmatch.fnmatchcase(config_name, failing_update):
                endpoint.failure_reason = "The primary container for production variant primary did not pass the ping health check."
            else:
                config = backend.endpoint_configs[config_name]
                endpoint.endpoint_config_name = config_name
                endpoint.production_variants = endpoint._process_production_variants(config.production_variants)
            endpoint.endpoint_status = "InService"
            endpoint.last_modified_time = utcnow()

        seconds = update_seconds
        if slow_update and fnmatch.fnmatchcase(config_name, slow_update[0]):
            seconds = slow_update[1]
        timer = threading.Timer(seconds, settle)
        timer.daemon = True
        timer.start()
        return ActionResult({"EndpointArn": endpoint.arn})

    # Fix 11: moto never lets a session expire; AWS refuses a call signed
    # with credentials past their Expiration (ExpiredToken). Assumed-role
    # sessions are remembered with their expiry and checked on every call.
    from moto.core.responses import BaseResponse
    from moto.sts.models import STSBackend

    expiries: dict[str, datetime] = {}
    stock_assume = STSBackend.assume_role
    stock_call = BaseResponse.call_action

    def assume_role(self_backend, *args, **kwargs):
        role = stock_assume(self_backend, *args, **kwargs)
        expiries[role.access_key_id] = role.expiration
        return role

    def call_action(self_resp):
        expiry = expiries.get(self_resp.get_access_key())
        if expiry is not None and expiry <= utcnow():
            message = "The security token included in the request is expired"
            if self_resp.headers.get("X-Amz-Target"):
                body = json.dumps({"__type": "ExpiredTokenException", "message": message})
                return 400, {"Content-Type": "application/x-amz-json-1.1"}, body
            body = f"<ErrorResponse><Error><Type>Sender</Type><Code>ExpiredToken</Code><Message>{message}</Message></Error></ErrorResponse>"
            return 400, {"Content-Type": "text/xml"}, body
        return stock_call(self_resp)

    STSBackend.assume_role = assume_role
    BaseResponse.call_action = call_action

    # Fix 12: CreateNotebookInstance drops InstanceMetadataServiceConfiguration;
    # DescribeNotebookInstance never answers it. AWS keeps and describes it.
    stock_create_notebook = SageMakerResponse.create_notebook_instance

    def create_notebook_instance(self_resp):
        answer = stock_create_notebook(self_resp)
        name = self_resp._get_param("NotebookInstanceName")
        notebook = self_resp.sagemaker_backend.get_notebook_instance(name)
        notebook.vigil_imds = self_resp._get_param("InstanceMetadataServiceConfiguration")
        # Fix 25: the platform is dropped; AWS keeps it, notebook-al2023-v1 by default.
        notebook.vigil_platform = self_resp._get_param("PlatformIdentifier") or "notebook-al2023-v1"
        # Fix 15: AWS describes root access as Enabled when it was not given.
        if notebook.root_access is None:
            notebook.root_access = "Enabled"
        return answer

    def describe_notebook_instance(self_resp):
        name = self_resp._get_param("NotebookInstanceName")
        notebook = self_resp.sagemaker_backend.get_notebook_instance(name)
        described = notebook.to_dict()
        if getattr(notebook, "vigil_imds", None):
            described["InstanceMetadataServiceConfiguration"] = notebook.vigil_imds
        described["PlatformIdentifier"] = getattr(notebook, "vigil_platform", "notebook-al2023-v1")
        return ActionResult(described)

    # Fix 13: moto has no UpdateNotebookInstance. AWS updates a stopped (or
    # failed) instance's instance type, role, volume, root access and IMDS
    # setting, and refuses any other state; subnet, direct internet access
    # and KMS key cannot be changed at all (not in the request).
    def update_notebook_instance(self_resp):
        name = self_resp._get_param("NotebookInstanceName")
        notebook = self_resp.sagemaker_backend.get_notebook_instance(name)
        if notebook.status not in ("Stopped", "Failed"):
            raise ValidationError(
                message=f"Status ({notebook.status}) not in ([Stopped, Failed]). Unable to transition to (Updating) for Notebook Instance ({notebook.arn})")
        for param, attr in (("InstanceType", "instance_type"), ("RoleArn", "role_arn"),
                            ("VolumeSizeInGB", "volume_size_in_gb"), ("RootAccess", "root_access")):
            value = self_resp._get_param(param)
            if value is not None:
                setattr(notebook, attr, value)
        imds = self_resp._get_param("InstanceMetadataServiceConfiguration")
        if imds is not None:
            notebook.vigil_imds = imds
        notebook.last_modified_time = utcnow()
        return ActionResult({})

    # Fix 14: moto has no UpdateDomain. AWS changes the network access type,
    # subnets and security group management in place, and merges the given
    # default user and space settings into the domain's.
    def update_domain(self_resp):
        domain_id = self_resp._get_param("DomainId")
        backend = self_resp.sagemaker_backend
        if domain_id not in backend.domains:
            raise ValidationError(message=f"Could not find domain '{domain_id}'.")
        domain = backend.domains[domain_id]
        for param, attr in (("AppNetworkAccessType", "app_network_access_type"), ("SubnetIds", "subnet_ids"),
                            ("AppSecurityGroupManagement", "app_security_group_management")):
            value = self_resp._get_param(param)
            if value is not None:
                setattr(domain, attr, value)
        for param, attr in (("DefaultUserSettings", "default_user_settings"),
                            ("DefaultSpaceSettings", "default_space_settings")):
            value = self_resp._get_param(param)
            if value is not None:
                setattr(domain, attr, {**(getattr(domain, attr) or {}), **value})
        domain.last_modified_time = utcnow()
        return ActionResult({"DomainArn": domain.arn})

    # Fix 19: feature groups. moto drops OnlineStoreConfig, fails (500) on a
    # group without an offline store, answers an unknown name with a 500,
    # and has no ListFeatureGroups or DeleteFeatureGroup. AWS keeps either
    # store, refuses unknown names with ResourceNotFound, and lists
    # summaries a page at a time.
    def feature_group(backend, name):
        for group in backend.feature_groups.values():
            if group.feature_group_name == name:
                return group
        raise ResourceNotFound(message=f"Resource Not Found: Amazon SageMaker can't find a FeatureGroup with name {name}")

    def create_feature_group(self_resp):
        backend = self_resp.sagemaker_backend
        offline = self_resp._get_param("OfflineStoreConfig")
        arn = backend.create_feature_group(
            feature_group_name=self_resp._get_param("FeatureGroupName"),
            record_identifier_feature_name=self_resp._get_param("RecordIdentifierFeatureName"),
            event_time_feature_name=self_resp._get_param("EventTimeFeatureName"),
            feature_definitions=self_resp._get_param("FeatureDefinitions"),
            # moto's constructor needs an offline store; one not asked for is dropped below.
            offline_store_config=offline or {"S3StorageConfig": {"S3Uri": "s3://none"}},
            role_arn=self_resp._get_param("RoleArn"),
            tags=self_resp._get_param("Tags"),
        )
        group = backend.feature_groups[arn]
        group.vigil_offline = offline is not None
        group.vigil_online = self_resp._get_param("OnlineStoreConfig")
        return ActionResult({"FeatureGroupArn": arn})

    def describe_feature_group(self_resp):
        group = feature_group(self_resp.sagemaker_backend, self_resp._get_param("FeatureGroupName"))
        described = group.describe()
        if not getattr(group, "vigil_offline", True):
            described.pop("OfflineStoreConfig")
        if getattr(group, "vigil_online", None):
            described["OnlineStoreConfig"] = group.vigil_online
        return ActionResult(described)

    def list_feature_groups(self_resp):
        groups = sorted(self_resp.sagemaker_backend.feature_groups.values(),
                        key=lambda g: (g.creation_time, g.feature_group_name), reverse=True)
        return ActionResult(_page(self_resp, "FeatureGroupSummaries", groups, lambda g: {
            "FeatureGroupName": g.feature_group_name, "FeatureGroupArn": g.arn,
            "CreationTime": g.creation_time, "FeatureGroupStatus": "Created"}))

    def delete_feature_group(self_resp):
        backend = self_resp.sagemaker_backend
        group = feature_group(backend, self_resp._get_param("FeatureGroupName"))
        del backend.feature_groups[group.arn]
        return ActionResult({})

    # Fix 20: HyperPod clusters cannot be updated. AWS's UpdateCluster
    # changes the groups it names (a group it does not know is added),
    # deletes those in InstanceGroupsToDelete, and leaves the others; an
    # existing group's storage configurations stay as they were created.
    def update_cluster(self_resp):
        backend = self_resp.sagemaker_backend
        name = self_resp._get_param("ClusterName")
        cluster = backend.clusters.get(name)
        if cluster is None:
            raise ResourceNotFound(message=f"Could not find cluster '{name}'.")
        for wanted in self_resp._get_param("InstanceGroups") or []:
            wanted.setdefault("ThreadsPerCore", 1)
        groups = {g["InstanceGroupName"]: g for g in cluster.instance_groups}
        for wanted in self_resp._get_param("InstanceGroups") or []:
            wanted = dict(wanted)
            count = wanted.pop("InstanceCount", None)
            group = groups.get(wanted["InstanceGroupName"])
            if group is None:
                cluster.valid_cluster_node_instance_types(wanted["InstanceType"])
                group = groups[wanted["InstanceGroupName"]] = wanted
            else:
                storage = group.get("InstanceStorageConfigs")
                group.update(wanted)
                if storage is not None:
                    group["InstanceStorageConfigs"] = storage
            if count is not None:
                group["CurrentCount"] = group["TargetCount"] = count
        for doomed in self_resp._get_param("InstanceGroupsToDelete") or []:
            groups.pop(doomed, None)
        cluster.instance_groups = list(groups.values())
        return ActionResult({"ClusterArn": cluster.arn})

    # (Fix 20, too: moto fails with a 500 on a group without ThreadsPerCore,
    # which AWS takes as optional.)
    stock_create_cluster = sm_models.SageMakerModelBackend.create_cluster

    def create_cluster(self, cluster_name, instance_groups, vpc_config, tags):
        for group in instance_groups or []:
            group.setdefault("ThreadsPerCore", 1)
        return stock_create_cluster(self, cluster_name, instance_groups, vpc_config, tags)

    sm_models.SageMakerModelBackend.create_cluster = create_cluster
    SageMakerResponse.update_cluster = update_cluster

    # Fix 21: notebook lifecycle configurations cannot be listed or updated.
    # AWS lists summaries a page at a time and replaces the scripts an
    # update gives.
    def list_notebook_instance_lifecycle_configs(self_resp):
        configs = sorted(self_resp.sagemaker_backend.notebook_instance_lifecycle_configurations.values(),
                         key=lambda c: (c.creation_time, c.notebook_instance_lifecycle_config_name), reverse=True)
        return ActionResult(_page(self_resp, "NotebookInstanceLifecycleConfigs", configs, lambda c: {
            "NotebookInstanceLifecycleConfigName": c.notebook_instance_lifecycle_config_name,
            "NotebookInstanceLifecycleConfigArn": c.arn, "CreationTime": c.creation_time,
            "LastModifiedTime": c.last_modified_time}))

    def update_notebook_instance_lifecycle_config(self_resp):
        backend = self_resp.sagemaker_backend
        name = self_resp._get_param("NotebookInstanceLifecycleConfigName")
        config = backend.notebook_instance_lifecycle_configurations.get(name)
        if config is None:
            raise ValidationError(message=f"Unable to update Notebook Instance Lifecycle Config {name}. (Details: Notebook Instance Lifecycle Config does not exist.)")
        for param, attr in (("OnCreate", "on_create"), ("OnStart", "on_start")):
            value = self_resp._get_param(param)
            if value is not None:
                setattr(config, attr, value)
        config.last_modified_time = utcnow()
        return ActionResult({})

    # Fix 22: SageMaker images and app image configurations are missing
    # (Create, Describe, List, Delete), and so are their tags. AWS keeps
    # both with their tags (AddTags, ListTags, DeleteTags by ARN).
    import types

    def patched_store(backend, kind):
        """The resources of `kind` the patches keep (moto has no store for them)."""
        name = f"vigil_{kind.replace('-', '_')}s"
        if not hasattr(backend, name):
            setattr(backend, name, {})
        return getattr(backend, name)

    def studio_create(kind, name_param, arn_key):
        def create(self_resp):
            backend = self_resp.sagemaker_backend
            name = self_resp._get_param(name_param)
            store = patched_store(backend, kind)
            if name in store:
                raise ResourceInUseException(message=f"{kind} {name} already exists")
            now = utcnow()
            store[name] = types.SimpleNamespace(
                name=name, arn=f"arn:aws:sagemaker:{backend.region_name}:{backend.account_id}:{kind}/{name.lower()}",
                tags=list(self_resp._get_param("Tags") or []), creation_time=now, last_modified_time=now)
            return ActionResult({arn_key: store[name].arn})
        return create

    def studio_found(self_resp, kind, name_param):
        name = self_resp._get_param(name_param)
        found = patched_store(self_resp.sagemaker_backend, kind).get(name)
        if found is None:
            raise ResourceNotFound(message=f"{kind} {name} does not exist")
        return found

    def describe_image(self_resp):
        image = studio_found(self_resp, "image", "ImageName")
        return ActionResult({"ImageName": image.name, "ImageArn": image.arn, "ImageStatus": "CREATED",
                             "CreationTime": image.creation_time, "LastModifiedTime": image.last_modified_time})

    def describe_app_image_config(self_resp):
        config = studio_found(self_resp, "app-image-config", "AppImageConfigName")
        return ActionResult({"AppImageConfigName": config.name, "AppImageConfigArn": config.arn,
                             "CreationTime": config.creation_time, "LastModifiedTime": config.last_modified_time})

    def studio_list(kind, field, summary):
        def listing(self_resp):
            found = sorted(patched_store(self_resp.sagemaker_backend, kind).values(), key=lambda r: r.name)
            return ActionResult(_page(self_resp, field, found, summary))
        return listing

    def studio_delete(kind, name_param):
        def delete(self_resp):
            found = studio_found(self_resp, kind, name_param)
            del patched_store(self_resp.sagemaker_backend, kind)[found.name]
            return ActionResult({})
        return delete

    stock_resource_from_arn = sm_models.SageMakerModelBackend._get_resource_from_arn

    def resource_from_arn(self, arn):
        kind, _, name = arn.split(":")[-1].partition("/")
        if kind in ("image", "app-image-config"):
            for found in patched_store(self, kind).values():
                if found.arn == arn:
                    return found
            raise ResourceNotFound(message=f"{arn} does not exist")
        return stock_resource_from_arn(self, arn)

    sm_models.SageMakerModelBackend._get_resource_from_arn = resource_from_arn
    SageMakerResponse.create_image = studio_create("image", "ImageName", "ImageArn")
    SageMakerResponse.create_app_image_config = studio_create("app-image-config", "AppImageConfigName", "AppImageConfigArn")
    SageMakerResponse.describe_image = describe_image
    SageMakerResponse.describe_app_image_config = describe_app_image_config
    SageMakerResponse.list_images = studio_list("image", "Images", lambda r: {
        "ImageName": r.name, "ImageArn": r.arn, "ImageStatus": "CREATED",
        "CreationTime": r.creation_time, "LastModifiedTime": r.last_modified_time})
    SageMakerResponse.list_app_image_configs = studio_list("app-image-config", "AppImageConfigs", lambda r: {
        "AppImageConfigName": r.name, "AppImageConfigArn": r.arn,
        "CreationTime": r.creation_time, "LastModifiedTime": r.last_modified_time})
    SageMakerResponse.delete_image = studio_delete("image", "ImageName")
    SageMakerResponse.delete_app_image_config = studio_delete("app-image-config", "AppImageConfigName")
    # Fix 23: inference experiments are not implemented. AWS keeps what the
    # request gives (keys, variants, data capture), runs the experiment
    # until it is stopped, and deletes only one that is not running.
    def experiments(backend):
        return patched_store(backend, "inference-experiment")

    def create_inference_experiment(self_resp):
        backend = self_resp.sagemaker_backend
        name = self_resp._get_param("Name")
        if name in experiments(backend):
            raise ResourceInUseException(message=f"Inference experiment {name} already exists")
        now = utcnow()
        arn = f"arn:aws:sagemaker:{backend.region_name}:{backend.account_id}:inference-experiment/{name.lower()}"
        described = {"Arn": arn, "Name": name, "Type": self_resp._get_param("Type"), "Status": "Running",
                     "CreationTime": now, "LastModifiedTime": now, "RoleArn": self_resp._get_param("RoleArn"),
                     "EndpointMetadata": {"EndpointName": self_resp._get_param("EndpointName")},
                     "ModelVariants": [dict(v, Status="InService") for v in self_resp._get_param("ModelVariants") or []]}
        for key in ("Description", "DataStorageConfig", "ShadowModeConfig", "KmsKey"):
            if self_resp._get_param(key) is not None:
                described[key] = self_resp._get_param(key)
        experiments(backend)[name] = types.SimpleNamespace(name=name, arn=arn, tags=[], described=described)
        return ActionResult({"InferenceExperimentArn": arn})

    def found_experiment(self_resp):
        name = self_resp._get_param("Name")
        found = experiments(self_resp.sagemaker_backend).get(name)
        if found is None:
            raise ResourceNotFound(message=f"Inference experiment {name} does not exist")
        return found

    def describe_inference_experiment(self_resp):
        return ActionResult(found_experiment(self_resp).described)

    def list_inference_experiments(self_resp):
        keys = ["Name", "Type", "Status", "CreationTime", "LastModifiedTime", "RoleArn"]
        found = sorted(experiments(self_resp.sagemaker_backend).values(), key=lambda e: e.name)
        return ActionResult({"InferenceExperiments": [{k: e.described[k] for k in keys if e.described.get(k)}
                                                      for e in found]})

    def stop_inference_experiment(self_resp):
        found = found_experiment(self_resp)
        found.described["Status"] = "Completed"
        return ActionResult({"InferenceExperimentArn": found.arn})

    def delete_inference_experiment(self_resp):
        found = found_experiment(self_resp)
        if found.described["Status"] == "Running":
            raise ConflictException(message=f"Inference experiment {found.name} is running; stop it first")
        del experiments(self_resp.sagemaker_backend)[found.name]
        return ActionResult({"InferenceExperimentArn": found.arn})

    # Fix 24: Augmented AI flow definitions are not implemented. AWS keeps
    # the request's settings (the output key with them) and describes them.
    def flows(backend):
        return patched_store(backend, "flow-definition")

    def create_flow_definition(self_resp):
        backend = self_resp.sagemaker_backend
        name = self_resp._get_param("FlowDefinitionName")
        if name in flows(backend):
            raise ResourceInUseException(message=f"Flow definition {name} already exists")
        arn = f"arn:aws:sagemaker:{backend.region_name}:{backend.account_id}:flow-definition/{name.lower()}"
        described = {"FlowDefinitionArn": arn, "FlowDefinitionName": name, "FlowDefinitionStatus": "Active",
                     "CreationTime": utcnow()}
        for key in ("HumanLoopRequestSource", "HumanLoopActivationConfig", "HumanLoopConfig", "OutputConfig", "RoleArn"):
            if self_resp._get_param(key) is not None:
                described[key] = self_resp._get_param(key)
        flows(backend)[name] = types.SimpleNamespace(name=name, arn=arn, tags=[], described=described)
        return ActionResult({"FlowDefinitionArn": arn})

    def found_flow(self_resp):
        name = self_resp._get_param("FlowDefinitionName")
        found = flows(self_resp.sagemaker_backend).get(name)
        if found is None:
            raise ResourceNotFound(message=f"Flow definition {name} does not exist")
        return found

    def list_flow_definitions(self_resp):
        keys = ["FlowDefinitionName", "FlowDefinitionArn", "FlowDefinitionStatus", "CreationTime"]
        found = sorted(flows(self_resp.sagemaker_backend).values(), key=lambda f: f.name)
        return ActionResult({"FlowDefinitionSummaries": [{k: f.described[k] for k in keys} for f in found]})

    def delete_flow_definition(self_resp):
        found = found_flow(self_resp)
        del flows(self_resp.sagemaker_backend)[found.name]
        return ActionResult({})

    # 26: AWS managed keys. AWS creates `alias/aws/<service>` and its key the
    # first time a service uses it, and DescribeKey answers KeyManager AWS
    # for it, by alias, id or ARN alike. moto knows a few such aliases (not
    # SageMaker's) and says CUSTOMER for them.
    from moto.kms.models import KmsBackend

    def generate_aws_managed_key(self, alias_name):
        if not alias_name.startswith("alias/aws/"):
            return None
        service = alias_name.removeprefix("alias/aws/")
        key = self.create_key(None, "ENCRYPT_DECRYPT", "SYMMETRIC_DEFAULT",
                              f"Default key that protects my {service} data when no other key is defined", None)
        key.key_manager = "AWS"
        self.create_alias(key.id, alias_name)
        return key.id

    def key_id_from_alias(self, alias_name):
        for key in self.keys.values():
            if alias_name in key.aliases:
                return key.id
        return self._generate_default_keys(alias_name)

    KmsBackend._generate_default_keys = generate_aws_managed_key
    KmsBackend.get_key_id_from_alias = key_id_from_alias

    # 27: UpdateGateway "replaces the entire gateway configuration. Any
    # optional field that you omit ... is reset" (AWS's API reference);
    # moto keeps what an update leaves out (a DEBUG exception level, a key).
    from moto.bedrockagentcorecontrol.models import Gateway

    def update_gateway(self, name, role_arn, protocol_type, authorizer_type, description, protocol_configuration,
                       authorizer_configuration, kms_key_arn, interceptor_configurations, policy_engine_configuration,
                       exception_level):
        self.name, self.role_arn = name, role_arn
        self.protocol_type, self.authorizer_type = protocol_type, authorizer_type
        self.description = description
        self.protocol_configuration = protocol_configuration
        self.authorizer_configuration = authorizer_configuration
        self.kms_key_arn = kms_key_arn
        self.interceptor_configurations = interceptor_configurations
        self.policy_engine_configuration = policy_engine_configuration
        self.exception_level = exception_level
        self.updated_at = datetime.now()
        self.status = "UPDATING"

    Gateway.update = update_gateway

    # 28: moto's AgentCore backend exists only in the regions its botocore
    # data lists and answers HTTP 500 elsewhere. AWS has no endpoint there at
    # all (its name does not resolve), which no local server can imitate: the
    # emulator answers in every region, and Vigil's "not offered" is tested
    # with an endpoint that does not resolve.
    import boto3
    from moto.bedrockagentcorecontrol.models import bedrockagentcorecontrol_backends

    bedrockagentcorecontrol_backends._additional_regions = boto3.session.Session().get_available_regions("ec2")

    # 29: custom browsers and code interpreters (AgentCore's built-in tools)
    # are not implemented. A minimal store: create (keeping the network
    # configuration, the browser's recording and the role), get, list a page
    # at a time (`type=CUSTOM` lists these; `SYSTEM` AWS's own, none here),
    # delete; unknown ids answered ResourceNotFoundException, as AWS does.
    import random
    import string

    from moto.bedrockagentcorecontrol.exceptions import ResourceNotFoundException
    from moto.bedrockagentcorecontrol.responses import BedrockAgentCoreControlResponse

    def tools(backend, kind):
        return backend.__dict__.setdefault(f"_vigil_{kind}", {})

    def tool_create(kind, arn_kind, id_key, arn_key, fields):
        def create(self_resp):
            params = self_resp._get_params()
            suffix = "".join(random.choices(string.ascii_letters + string.digits, k=10))
            tool_id = f"{params['name']}-{suffix}"
            now = datetime.now()
            tool = {
                id_key: tool_id,
                arn_key: f"arn:aws:bedrock-agentcore:{self_resp.region}:{self_resp.current_account}:{arn_kind}/{tool_id}",
                "name": params["name"],
                "status": "READY",
                "createdAt": now,
                "lastUpdatedAt": now,
            }
            tool.update({field: params[field] for field in fields if params.get(field) is not None})
            tools(self_resp.backend, kind)[tool_id] = tool
            return ActionResult({id_key: tool_id, arn_key: tool[arn_key], "createdAt": now, "status": "READY"})
        return create

    def tool_found(self_resp, kind, id_key):
        tool_id = self_resp._get_param(id_key)
        tool = tools(self_resp.backend, kind).get(tool_id)
        if tool is None:
            raise ResourceNotFoundException(f"{kind[:-1]} {tool_id} not found")
        return tool_id, tool

    def tool_list(kind, field, summary_keys):
        def list_tools(self_resp):
            items = [] if self_resp._get_param("type") == "SYSTEM" else list(tools(self_resp.backend, kind).values())
            size = int(self_resp._get_param("maxResults") or 10)
            start = int(self_resp._get_param("nextToken") or 0)
            page = [{k: t[k] for k in summary_keys if k in t} for t in items[start:start + size]]
            answer = {field: page}
            if start + size < len(items):
                answer["nextToken"] = str(start + size)
            return ActionResult(answer)
        return list_tools

    def tool_delete(kind, id_key):
        def delete(self_resp):
            tool_id, _ = tool_found(self_resp, kind, id_key)
            del tools(self_resp.backend, kind)[tool_id]
            return ActionResult({id_key: tool_id, "status": "DELETING"})
        return delete

    browser_fields = ["description", "executionRoleArn", "networkConfiguration", "recording", "browserSigning"]
    BedrockAgentCoreControlResponse.create_browser = tool_create(
        "browsers", "browser-custom", "browserId", "browserArn", browser_fields)
    BedrockAgentCoreControlResponse.get_browser = lambda r: ActionResult(tool_found(r, "browsers", "browserId")[1])
    BedrockAgentCoreControlResponse.list_browsers = tool_list(
        "browsers", "browserSummaries", ["browserId", "browserArn", "name", "description", "status", "createdAt",
                                         "lastUpdatedAt"])
    BedrockAgentCoreControlResponse.delete_browser = tool_delete("browsers", "browserId")
    interpreter_fields = ["description", "executionRoleArn", "networkConfiguration"]
    BedrockAgentCoreControlResponse.create_code_interpreter = tool_create(
        "code_interpreters", "code-interpreter-custom", "codeInterpreterId", "codeInterpreterArn", interpreter_fields)
    BedrockAgentCoreControlResponse.get_code_interpreter = lambda r: ActionResult(
        tool_found(r, "code_interpreters", "codeInterpreterId")[1])
    BedrockAgentCoreControlResponse.list_code_interpreters = tool_list(
        "code_interpreters", "codeInterpreterSummaries",
        ["codeInterpreterId", "codeInterpreterArn", "name", "description", "status", "createdAt", "lastUpdatedAt"])
    BedrockAgentCoreControlResponse.delete_code_interpreter = tool_delete("code_interpreters", "codeInterpreterId")

    # 30: knowledge-base data sources (Bedrock Agents) are not implemented.
    # A minimal store under each knowledge base: create (keeping the data
    # source configuration and the server-side encryption configuration),
    # get, list a page at a time, update (replacing the configuration),
    # delete; an unknown knowledge base or data
    # source answered ResourceNotFoundException, as AWS does.
    from moto.bedrockagent.exceptions import ResourceNotFoundException as AgentNotFound
    from moto.bedrockagent.responses import AgentsforBedrockResponse

    def data_sources(self_resp, knowledge_base_id):
        backend = self_resp.bedrockagent_backend
        if knowledge_base_id not in backend.knowledge_bases:
            raise AgentNotFound(f"knowledge base {knowledge_base_id} not found")
        return backend.__dict__.setdefault("_vigil_data_sources", {}).setdefault(knowledge_base_id, {})

    def path_ids(self_resp):
        parts = [p for p in self_resp.path.split("?")[0].split("/") if p]
        # /knowledgebases/{kb}/datasources/[{ds}]
        return parts[1], (parts[3] if len(parts) > 3 else None)

    def create_data_source(self_resp):
        kb_id, _ = path_ids(self_resp)
        params = json.loads(self_resp.body)
        store = data_sources(self_resp, kb_id)
        ds_id = "".join(random.choices(string.ascii_uppercase + string.digits, k=10))
        now = datetime.now().isoformat()
        source = {"knowledgeBaseId": kb_id, "dataSourceId": ds_id, "name": params["name"], "status": "AVAILABLE",
                  "dataSourceConfiguration": params["dataSourceConfiguration"], "createdAt": now, "updatedAt": now}
        for field in ["description", "serverSideEncryptionConfiguration", "vectorIngestionConfiguration",
                      "dataDeletionPolicy"]:
            if params.get(field) is not None:
                source[field] = params[field]
        store[ds_id] = source
        return json.dumps({"dataSource": source})

    def found_data_source(self_resp):
        kb_id, ds_id = path_ids(self_resp)
        source = data_sources(self_resp, kb_id).get(ds_id)
        if source is None:
            raise AgentNotFound(f"data source {ds_id} not found")
        return kb_id, ds_id, source

    def list_data_sources(self_resp):
        kb_id, _ = path_ids(self_resp)
        params = json.loads(self_resp.body or "{}")
        items = list(data_sources(self_resp, kb_id).values())
        size, start = int(params.get("maxResults") or 10), int(params.get("nextToken") or 0)
        keys = ["knowledgeBaseId", "dataSourceId", "name", "status", "description", "updatedAt"]
        answer = {"dataSourceSummaries": [{k: s[k] for k in keys if k in s} for s in items[start:start + size]]}
        if start + size < len(items):
            answer["nextToken"] = str(start + size)
        return json.dumps(answer)

    def update_data_source(self_resp):
        kb_id, ds_id, source = found_data_source(self_resp)
        params = json.loads(self_resp.body)
        kept = {k: source[k] for k in ["knowledgeBaseId", "dataSourceId", "status", "createdAt"]}
        # UpdateDataSource replaces the configuration: what it omits is gone.
        kept.update({k: params[k] for k in ["name", "description", "dataSourceConfiguration", "dataDeletionPolicy",
                                             "serverSideEncryptionConfiguration", "vectorIngestionConfiguration"]
                     if params.get(k) is not None})
        kept["updatedAt"] = datetime.now().isoformat()
        data_sources(self_resp, kb_id)[ds_id] = kept
        return json.dumps({"dataSource": kept})

    def delete_data_source(self_resp):
        kb_id, ds_id, _ = found_data_source(self_resp)
        del data_sources(self_resp, kb_id)[ds_id]
        return json.dumps({"knowledgeBaseId": kb_id, "dataSourceId": ds_id, "status": "DELETING"})

    # 31: agents drop guardrailConfiguration, and UpdateAgent and
    # PrepareAgent are not implemented. The configuration is kept and
    # answered; an update replaces the agent's settings (what it omits is
    # gone, as AWS's does) and leaves it NOT_PREPARED; preparing makes it
    # PREPARED again.
    from moto.bedrockagent import models as agent_models

    stock_agent_dict = agent_models.Agent.to_dict

    def agent_dict(agent):
        out = stock_agent_dict(agent)
        if getattr(agent, "guardrail_configuration", None):
            out["guardrailConfiguration"] = agent.guardrail_configuration
        return out

    stock_create_agent = AgentsforBedrockResponse.create_agent

    def create_agent(self_resp):
        answer = json.loads(stock_create_agent(self_resp))
        agent = self_resp.bedrockagent_backend.get_agent(answer["agent"]["agentId"])
        agent.guardrail_configuration = json.loads(self_resp.body).get("guardrailConfiguration")
        return json.dumps({"agent": agent.to_dict()})

    def agent_in_path(self_resp):
        # /agents/{agentId}/
        return self_resp.bedrockagent_backend.get_agent([p for p in self_resp.path.split("?")[0].split("/") if p][1])

    def update_agent(self_resp):
        agent = agent_in_path(self_resp)
        params = json.loads(self_resp.body)
        for field, attribute in [("agentName", "agent_name"), ("agentResourceRoleArn", "agent_resource_role_arn"),
                                 ("foundationModel", "foundation_model"), ("instruction", "instruction"),
                                 ("description", "description"),
                                 ("idleSessionTTLInSeconds", "idle_session_ttl_in_seconds"),
                                 ("customerEncryptionKeyArn", "customer_encryption_key_arn"),
                                 ("promptOverrideConfiguration", "prompt_override_configuration"),
                                 ("guardrailConfiguration", "guardrail_configuration")]:
            setattr(agent, attribute, params.get(field))
        agent.agent_status = "NOT_PREPARED"
        agent.updated_at = datetime.now().timestamp()
        return json.dumps({"agent": agent.to_dict()})

    def prepare_agent(self_resp):
        agent = agent_in_path(self_resp)
        agent.agent_status = "PREPARED"
        return json.dumps({"agentId": agent.agent_id, "agentStatus": agent.agent_status,
                           "agentVersion": "DRAFT", "preparedAt": datetime.now().isoformat()})

    agent_models.Agent.to_dict = agent_dict
    AgentsforBedrockResponse.create_agent = create_agent
    AgentsforBedrockResponse.update_agent = update_agent
    AgentsforBedrockResponse.prepare_agent = prepare_agent

    # 32: guardrails are not implemented. A minimal store: create (keeping
    # every policy, the messages and the KMS key), get (the working draft),
    # list a page at a time, update (replacing every policy), create a
    # version (numbered from 1), delete; an unknown guardrail answered
    # ResourceNotFoundException, as AWS does.
    from moto.bedrock.exceptions import ResourceNotFoundException as BedrockNotFound
    from moto.bedrock.responses import BedrockResponse

    def guardrails(self_resp):
        return self_resp.bedrock_backend.__dict__.setdefault("_vigil_guardrails", {})

    def create_guardrail(self_resp):
        return stored_guardrail(self_resp, None)

    def stored_guardrail(self_resp, replaced):
        params = json.loads(self_resp.body)
        guardrail_id = replaced["guardrailId"] if replaced else "".join(
            random.choices(string.ascii_lowercase + string.digits, k=12))
        arn = f"arn:aws:bedrock:{self_resp.region}:{self_resp.current_account}:guardrail/{guardrail_id}"
        now = datetime.now().isoformat()
        guardrail = {"guardrailId": guardrail_id, "guardrailArn": arn, "name": params["name"], "version": "DRAFT",
                     "status": "READY", "createdAt": replaced["createdAt"] if replaced else now, "updatedAt": now,
                     "blockedInputMessaging": params["blockedInputMessaging"],
                     "blockedOutputsMessaging": params["blockedOutputsMessaging"]}
        # GetGuardrail answers the request's `…Config` fields, at every
        # depth, without the suffix (contentPolicyConfig.filtersConfig:
        # contentPolicy.filters).
        def answered(value):
            if isinstance(value, dict):
                return {k.removesuffix("Config"): answered(v) for k, v in value.items()}
            if isinstance(value, list):
                return [answered(v) for v in value]
            return value
        for field in ["topicPolicyConfig", "contentPolicyConfig", "wordPolicyConfig",
                      "sensitiveInformationPolicyConfig", "contextualGroundingPolicyConfig"]:
            if params.get(field) is not None:
                guardrail[field.removesuffix("Config")] = answered(params[field])
        for field in ["description", "kmsKeyId"]:
            if params.get(field) is not None:
                guardrail["kmsKeyArn" if field == "kmsKeyId" else field] = params[field]
        if replaced:
            guardrail["versions"] = replaced.get("versions", 0)
        guardrails(self_resp)[guardrail_id] = guardrail
        if replaced:
            return json.dumps({"guardrailId": guardrail_id, "guardrailArn": arn, "version": "DRAFT", "updatedAt": now})
        return json.dumps({"guardrailId": guardrail_id, "guardrailArn": arn, "version": "DRAFT", "createdAt": now})

    def found_guardrail(self_resp):
        # /guardrails/{id or ARN}, an ARN's slash decoded or not.
        from urllib.parse import unquote
        wanted = unquote(self_resp.path.split("?")[0].split("/guardrails/", 1)[1]).rstrip("/")
        for guardrail in guardrails(self_resp).values():
            if wanted in (guardrail["guardrailId"], guardrail["guardrailArn"]):
                return guardrail
        raise BedrockNotFound(f"guardrail {wanted} not found")

    def list_guardrails(self_resp):
        items = list(guardrails(self_resp).values())
        size = int(self_resp._get_param("maxResults") or 10)
        start = int(self_resp._get_param("nextToken") or 0)
        keys = ["guardrailId", "guardrailArn", "name", "status", "version", "description", "createdAt", "updatedAt"]
        page = [{("id" if k == "guardrailId" else "arn" if k == "guardrailArn" else k): g[k] for k in keys if k in g}
                for g in items[start:start + size]]
        answer = {"guardrails": page}
        if start + size < len(items):
            answer["nextToken"] = str(start + size)
        return json.dumps(answer)

    def create_guardrail_version(self_resp):
        guardrail = found_guardrail(self_resp)
        guardrail["versions"] = guardrail.get("versions", 0) + 1
        return json.dumps({"guardrailId": guardrail["guardrailId"], "version": str(guardrail["versions"])})

    def delete_guardrail(self_resp):
        del guardrails(self_resp)[found_guardrail(self_resp)["guardrailId"]]
        return "{}"

    BedrockResponse.create_guardrail = create_guardrail
    BedrockResponse.get_guardrail = lambda r: json.dumps(
        {k: v for k, v in found_guardrail(r).items() if k != "versions"})
    # UpdateGuardrail replaces every policy: what it omits is gone.
    BedrockResponse.update_guardrail = lambda r: stored_guardrail(r, found_guardrail(r))
    BedrockResponse.create_guardrail_version = create_guardrail_version
    BedrockResponse.list_guardrails = list_guardrails
    BedrockResponse.delete_guardrail = delete_guardrail

    # 33: prompts (Prompt management) are not implemented. A minimal store:
    # create (keeping the variants and the customer key), get the draft,
    # list a page at a time, update (replacing the prompt, as AWS's does),
    # create a version (numbered from 1), delete; an unknown prompt
    # answered ResourceNotFoundException.
    def prompts(self_resp):
        return self_resp.bedrockagent_backend.__dict__.setdefault("_vigil_prompts", {})

    prompt_fields = ["description", "customerEncryptionKeyArn", "defaultVariant", "variants"]

    def create_prompt(self_resp):
        params = json.loads(self_resp.body)
        prompt_id = "".join(random.choices(string.ascii_uppercase + string.digits, k=10))
        now = datetime.now().isoformat()
        prompt = {"id": prompt_id, "name": params["name"], "version": "DRAFT", "createdAt": now, "updatedAt": now,
                  "arn": f"arn:aws:bedrock:{self_resp.region}:{self_resp.current_account}:prompt/{prompt_id}"}
        prompt.update({k: params[k] for k in prompt_fields if params.get(k) is not None})
        prompts(self_resp)[prompt_id] = prompt
        return json.dumps(prompt)

    def found_prompt(self_resp):
        # /prompts/{id or ARN}/[versions]
        from urllib.parse import unquote
        wanted = unquote(self_resp.path.split("?")[0].split("/prompts/", 1)[1]).rstrip("/")
        wanted = wanted.removesuffix("/versions")
        for prompt in prompts(self_resp).values():
            if wanted in (prompt["id"], prompt["arn"]):
                return prompt
        raise AgentNotFound(f"prompt {wanted} not found")

    def list_prompts(self_resp):
        items = list(prompts(self_resp).values())
        size = int(self_resp._get_param("maxResults") or 10)
        start = int(self_resp._get_param("nextToken") or 0)
        keys = ["id", "name", "arn", "version", "description", "createdAt", "updatedAt"]
        answer = {"promptSummaries": [{k: p[k] for k in keys if k in p} for p in items[start:start + size]]}
        if start + size < len(items):
            answer["nextToken"] = str(start + size)
        return json.dumps(answer)

    def update_prompt(self_resp):
        prompt = found_prompt(self_resp)
        params = json.loads(self_resp.body)
        kept = {k: prompt[k] for k in ["id", "arn", "version", "createdAt"]}
        kept["name"] = params["name"]
        kept.update({k: params[k] for k in prompt_fields if params.get(k) is not None})
        kept["updatedAt"] = datetime.now().isoformat()
        prompts(self_resp)[prompt["id"]] = kept
        return json.dumps(kept)

    def create_prompt_version(self_resp):
        prompt = found_prompt(self_resp)
        prompt["_versions"] = prompt.get("_versions", 0) + 1
        return json.dumps({**{k: v for k, v in prompt.items() if not k.startswith("_")},
                           "version": str(prompt["_versions"])})

    def delete_prompt(self_resp):
        prompt = found_prompt(self_resp)
        del prompts(self_resp)[prompt["id"]]
        return json.dumps({"id": prompt["id"]})

    AgentsforBedrockResponse.create_prompt = create_prompt
    AgentsforBedrockResponse.get_prompt = lambda r: json.dumps(
        {k: v for k, v in found_prompt(r).items() if not k.startswith("_")})
    AgentsforBedrockResponse.list_prompts = list_prompts
    AgentsforBedrockResponse.update_prompt = update_prompt
    AgentsforBedrockResponse.create_prompt_version = create_prompt_version
    AgentsforBedrockResponse.delete_prompt = delete_prompt

    # 39: flows (Bedrock Flows) are not implemented. A minimal store:
    # create (keeping the definition, role and key), get the working draft,
    # list a page at a time, update (replacing the flow, as AWS's does),
    # delete; an unknown flow answered ResourceNotFoundException.
    def bedrock_flows(self_resp):
        return self_resp.bedrockagent_backend.__dict__.setdefault("_vigil_flows", {})

    bedrock_flow_fields = ["description", "executionRoleArn", "customerEncryptionKeyArn", "definition"]

    def create_bedrock_flow(self_resp):
        params = json.loads(self_resp.body)
        flow_id = "".join(random.choices(string.ascii_uppercase + string.digits, k=10))
        now = datetime.now().isoformat()
        flow = {"id": flow_id, "name": params["name"], "version": "DRAFT", "status": "NotPrepared",
                "createdAt": now, "updatedAt": now,
                "arn": f"arn:aws:bedrock:{self_resp.region}:{self_resp.current_account}:flow/{flow_id}"}
        flow.update({k: params[k] for k in bedrock_flow_fields if params.get(k) is not None})
        bedrock_flows(self_resp)[flow_id] = flow
        return json.dumps(flow)

    def found_flow_draft(self_resp):
        # /flows/{id or ARN}/
        from urllib.parse import unquote
        wanted = unquote(self_resp.path.split("?")[0].split("/flows/", 1)[1]).rstrip("/")
        for flow in bedrock_flows(self_resp).values():
            if wanted in (flow["id"], flow["arn"]):
                return flow
        raise AgentNotFound(f"flow {wanted} not found")

    def list_bedrock_flows(self_resp):
        items = list(bedrock_flows(self_resp).values())
        size = int(self_resp._get_param("maxResults") or 10)
        start = int(self_resp._get_param("nextToken") or 0)
        keys = ["id", "name", "arn", "status", "version", "description", "createdAt", "updatedAt"]
        answer = {"flowSummaries": [{k: f[k] for k in keys if k in f} for f in items[start:start + size]]}
        if start + size < len(items):
            answer["nextToken"] = str(start + size)
        return json.dumps(answer)

    def update_bedrock_flow(self_resp):
        flow = found_flow_draft(self_resp)
        params = json.loads(self_resp.body)
        kept = {k: flow[k] for k in ["id", "arn", "version", "createdAt"]}
        kept.update({"name": params["name"], "status": "NotPrepared", "updatedAt": datetime.now().isoformat()})
        kept.update({k: params[k] for k in bedrock_flow_fields if params.get(k) is not None})
        bedrock_flows(self_resp)[flow["id"]] = kept
        return json.dumps(kept)

    def delete_bedrock_flow(self_resp):
        flow = found_flow_draft(self_resp)
        del bedrock_flows(self_resp)[flow["id"]]
        return json.dumps({"id": flow["id"]})

    AgentsforBedrockResponse.create_flow = create_bedrock_flow
    AgentsforBedrockResponse.get_flow = lambda r: json.dumps(found_flow_draft(r))
    AgentsforBedrockResponse.list_flows = list_bedrock_flows
    AgentsforBedrockResponse.update_flow = update_bedrock_flow
    AgentsforBedrockResponse.delete_flow = delete_bedrock_flow

    # 40: AWS managed policies are not loaded unless the whole set is
    # (MOTO_IAM_LOAD_MANAGED_POLICIES, 1,500 policies per account): none
    # can be attached, so no role can hold AmazonBedrockFullAccess. AWS
    # has them all; these few, from moto's own copy, are made attachable.
    from moto.iam.aws_managed_policies import aws_managed_policies_data
    from moto.iam.models import AWSManagedPolicy, IAMBackend

    stock_aws_policies = IAMBackend._init_aws_policies
    attachable = ["AmazonBedrockFullAccess", "AdministratorAccess"]

    def init_aws_policies(self):
        loaded = stock_aws_policies(self)
        if loaded:
            return loaded
        data = json.loads(aws_managed_policies_data)
        return [AWSManagedPolicy.from_data(name, self.account_id, self.region_name, data[name]) for name in attachable]

    IAMBackend._init_aws_policies = init_aws_policies

    # 41: IAM service-specific credentials (Bedrock long-term API keys,
    # CodeCommit passwords) are not implemented. A minimal store: create
    # for an existing user (`CredentialAgeDays` sets ExpirationDate, none
    # never expires), list one user's or, with AllUsers, everyone's, by
    # service; update the status; delete. The secret is never listed.
    from datetime import timedelta
    from moto.core.responses import EmptyResult
    from moto.iam.exceptions import NoSuchEntity
    from moto.iam.responses import IamResponse

    def service_credentials(self_resp):
        return self_resp.backend.__dict__.setdefault("_vigil_service_credentials", [])

    def create_service_specific_credential(self_resp):
        user = self_resp._get_param("UserName")
        self_resp.backend.get_user(user)
        now = utcnow()
        made = {"UserName": user, "Status": "Active", "ServiceName": self_resp._get_param("ServiceName"),
                "CreateDate": now, "ServiceUserName": f"{user}-at-{self_resp.current_account}",
                "ServiceSpecificCredentialId": "ACCA" + "".join(random.choices(string.ascii_uppercase + string.digits, k=17))}
        days = self_resp._get_param("CredentialAgeDays")
        if days:
            made["ExpirationDate"] = now + timedelta(days=int(days))
        service_credentials(self_resp).append(made)
        # Bedrock's keys carry a secret, other services' a password.
        secret = {"ServiceCredentialSecret": "secret"} if made["ServiceName"] == "bedrock.amazonaws.com" \
            else {"ServicePassword": "secret"}
        return ActionResult({"ServiceSpecificCredential": {**made, **secret}})

    def list_service_specific_credentials(self_resp):
        every = str(self_resp._get_param("AllUsers")).lower() == "true"
        user, service = self_resp._get_param("UserName"), self_resp._get_param("ServiceName")
        listed = [c for c in service_credentials(self_resp)
                  if (every or c["UserName"] == user) and (not service or c["ServiceName"] == service)]
        return ActionResult({"ServiceSpecificCredentials": listed, "IsTruncated": False})

    def found_service_credential(self_resp):
        wanted = self_resp._get_param("ServiceSpecificCredentialId")
        for made in service_credentials(self_resp):
            if made["ServiceSpecificCredentialId"] == wanted:
                return made
        raise NoSuchEntity(f"The Service Specific Credential with id {wanted} cannot be found.")

    def update_service_specific_credential(self_resp):
        found_service_credential(self_resp)["Status"] = self_resp._get_param("Status")
        return EmptyResult()

    def delete_service_specific_credential(self_resp):
        service_credentials(self_resp).remove(found_service_credential(self_resp))
        return EmptyResult()

    IamResponse.create_service_specific_credential = create_service_specific_credential
    IamResponse.list_service_specific_credentials = list_service_specific_credentials
    IamResponse.update_service_specific_credential = update_service_specific_credential
    IamResponse.delete_service_specific_credential = delete_service_specific_credential

    # 34: a customization job invents a KMS key for its model
    # (`arn:…:key/<model>-kms-key`) when none was given, so every custom
    # model looks customer-encrypted. AWS leaves outputModelKmsKeyArn and
    # modelKmsKeyArn out unless customModelKmsKeyId named a key. The job
    # also names its output model `<model>-<job>`; AWS names it as asked.
    # And a job named by its ARN is not found.
    from moto.bedrock.models import BedrockBackend

    stock_customization = BedrockBackend.create_model_customization_job

    def create_model_customization_job(self, *args, **kwargs):
        job_arn = stock_customization(self, *args, **kwargs)
        job = next(j for j in self.model_customization_jobs.values() if j.job_arn == job_arn)
        job.output_model_kms_key_arn = job.custom_model_kms_key_id
        # AWS names the output model as the request did, not `<model>-<job>`.
        job.output_model_name = job.custom_model_name
        self.custom_models[job.custom_model_name].model_kms_key_arn = job.custom_model_kms_key_id
        return job_arn

    BedrockBackend.create_model_customization_job = create_model_customization_job

    # A job named by its ARN (as GetCustomModel's jobArn names it) is found
    # too, as AWS finds it.
    stock_get_job = BedrockBackend.get_model_customization_job

    def get_model_customization_job(self, job_identifier):
        from urllib.parse import unquote
        wanted = unquote(job_identifier)
        by_arn = [name for name, job in self.model_customization_jobs.items() if job.job_arn == wanted]
        return stock_get_job(self, by_arn[0] if by_arn else wanted)

    BedrockBackend.get_model_customization_job = get_model_customization_job

    # 35: GetModelInvocationLoggingConfiguration answers `"loggingConfig": {}`
    # where logging is off; AWS leaves the field out.
    def get_logging(self_resp):
        config = self_resp.bedrock_backend.get_model_invocation_logging_configuration()
        return json.dumps({"loggingConfig": config} if config else {})

    BedrockResponse.get_model_invocation_logging_configuration = get_logging

    # 37: Custom Model Import is not implemented. A minimal store: an import
    # job completes at once and makes its imported model, which keeps the
    # job's KMS key only when one was given (modelKmsKeyArn is absent
    # otherwise, as AWS answers); get and delete by name or ARN, list a
    # page at a time; an unknown model answered ResourceNotFoundException.
    def imported_models(self_resp):
        return self_resp.bedrock_backend.__dict__.setdefault("_vigil_imported_models", {})

    def create_model_import_job(self_resp):
        params = json.loads(self_resp.body)
        region, account = self_resp.region, self_resp.current_account
        job_arn = f"arn:aws:bedrock:{region}:{account}:model-import-job/{params['jobName']}"
        model_id = "".join(random.choices(string.ascii_lowercase + string.digits, k=12))
        model = {"modelArn": f"arn:aws:bedrock:{region}:{account}:imported-model/{model_id}",
                 "modelName": params["importedModelName"], "jobName": params["jobName"], "jobArn": job_arn,
                 "modelDataSource": params["modelDataSource"], "creationTime": datetime.now().isoformat(),
                 "modelArchitecture": "llama3", "instructSupported": True}
        if params.get("importedModelKmsKeyId"):
            model["modelKmsKeyArn"] = params["importedModelKmsKeyId"]
        imported_models(self_resp)[model["modelName"]] = model
        return json.dumps({"jobArn": job_arn})

    def found_imported_model(self_resp):
        from urllib.parse import unquote
        wanted = unquote(self_resp.path.split("?")[0].split("/imported-models/", 1)[1]).rstrip("/")
        for model in imported_models(self_resp).values():
            if wanted in (model["modelName"], model["modelArn"]):
                return model
        raise BedrockNotFound(f"imported model {wanted} not found")

    def list_imported_models(self_resp):
        items = list(imported_models(self_resp).values())
        size = int(self_resp._get_param("maxResults") or 10)
        start = int(self_resp._get_param("nextToken") or 0)
        keys = ["modelArn", "modelName", "creationTime", "instructSupported", "modelArchitecture"]
        answer = {"modelSummaries": [{k: m[k] for k in keys} for m in items[start:start + size]]}
        if start + size < len(items):
            answer["nextToken"] = str(start + size)
        return json.dumps(answer)

    def delete_imported_model(self_resp):
        del imported_models(self_resp)[found_imported_model(self_resp)["modelName"]]
        return "{}"

    BedrockResponse.create_model_import_job = create_model_import_job
    BedrockResponse.get_imported_model = lambda r: json.dumps(found_imported_model(r))
    BedrockResponse.list_imported_models = list_imported_models
    BedrockResponse.delete_imported_model = delete_imported_model

    # 38: batch inference (model invocation jobs) is not implemented. A
    # minimal store: a job is submitted and kept as asked (its output's KMS
    # key only when one was given, as AWS answers), got by ARN or name,
    # listed a page at a time with submitTimeAfter honoured; an unknown job
    # answered ResourceNotFoundException.
    def invocation_jobs(self_resp):
        return self_resp.bedrock_backend.__dict__.setdefault("_vigil_invocation_jobs", {})

    def create_model_invocation_job(self_resp):
        params = json.loads(self_resp.body)
        job_id = "".join(random.choices(string.ascii_lowercase + string.digits, k=12))
        arn = f"arn:aws:bedrock:{self_resp.region}:{self_resp.current_account}:model-invocation-job/{job_id}"
        submitted = datetime.utcnow().strftime("%Y-%m-%dT%H:%M:%SZ")
        job = {"jobArn": arn, "jobName": params["jobName"], "modelId": params["modelId"], "roleArn": params["roleArn"],
               "status": "Submitted", "submitTime": submitted, "lastModifiedTime": submitted,
               "inputDataConfig": params["inputDataConfig"], "outputDataConfig": params["outputDataConfig"]}
        for field in ["vpcConfig", "timeoutDurationInHours"]:
            if params.get(field) is not None:
                job[field] = params[field]
        invocation_jobs(self_resp)[arn] = job
        return json.dumps({"jobArn": arn})

    def found_invocation_job(self_resp):
        from urllib.parse import unquote
        wanted = unquote(self_resp.path.split("?")[0].split("/model-invocation-job/", 1)[1]).rstrip("/")
        for job in invocation_jobs(self_resp).values():
            if wanted in (job["jobArn"], job["jobName"]):
                return job
        raise BedrockNotFound(f"model invocation job {wanted} not found")

    def list_model_invocation_jobs(self_resp):
        after = self_resp._get_param("submitTimeAfter")
        items = [j for j in invocation_jobs(self_resp).values() if not after or j["submitTime"] >= after]
        size = int(self_resp._get_param("maxResults") or 10)
        start = int(self_resp._get_param("nextToken") or 0)
        answer = {"invocationJobSummaries": items[start:start + size]}
        if start + size < len(items):
            answer["nextToken"] = str(start + size)
        return json.dumps(answer)

    BedrockResponse.create_model_invocation_job = create_model_invocation_job
    BedrockResponse.get_model_invocation_job = lambda r: json.dumps(found_invocation_job(r))
    BedrockResponse.list_model_invocation_jobs = list_model_invocation_jobs

    # 36: CloudWatch Logs has no AssociateKmsKey or DisassociateKmsKey: a
    # log group's key is set only at creation. AWS sets and clears it on an
    # existing group (what the invocation-logs rule's article does).
    from moto.logs.exceptions import ResourceNotFoundException as LogsNotFound
    from moto.logs.responses import LogsResponse

    def log_group(self_resp):
        name = self_resp._get_param("logGroupName")
        group = self_resp.logs_backend.groups.get(name)
        if group is None:
            raise LogsNotFound(msg="The specified log group does not exist.")
        return group

    def associate_kms_key(self_resp):
        log_group(self_resp).kms_key_id = self_resp._get_param("kmsKeyId")
        return ""

    def disassociate_kms_key(self_resp):
        log_group(self_resp).kms_key_id = None
        return ""

    LogsResponse.associate_kms_key = associate_kms_key
    LogsResponse.disassociate_kms_key = disassociate_kms_key

    AgentsforBedrockResponse.create_data_source = create_data_source
    AgentsforBedrockResponse.get_data_source = lambda r: json.dumps({"dataSource": found_data_source(r)[2]})
    AgentsforBedrockResponse.list_data_sources = list_data_sources
    AgentsforBedrockResponse.update_data_source = update_data_source
    AgentsforBedrockResponse.delete_data_source = delete_data_source

    SageMakerResponse.create_flow_definition = create_flow_definition
    SageMakerResponse.describe_flow_definition = lambda self_resp: ActionResult(found_flow(self_resp).described)
    SageMakerResponse.list_flow_definitions = list_flow_definitions
    SageMakerResponse.delete_flow_definition = delete_flow_definition
    SageMakerResponse.create_inference_experiment = create_inference_experiment
    SageMakerResponse.describe_inference_experiment = describe_inference_experiment
    SageMakerResponse.list_inference_experiments = list_inference_experiments
    SageMakerResponse.stop_inference_experiment = stop_inference_experiment
    SageMakerResponse.delete_inference_experiment = delete_inference_experiment
    SageMakerResponse.list_notebook_instance_lifecycle_configs = list_notebook_instance_lifecycle_configs
    SageMakerResponse.update_notebook_instance_lifecycle_config = update_notebook_instance_lifecycle_config
    SageMakerResponse.create_feature_group = create_feature_group
    SageMakerResponse.describe_feature_group = describe_feature_group
    SageMakerResponse.list_feature_groups = list_feature_groups
    SageMakerResponse.delete_feature_group = delete_feature_group
    SageMakerResponse.update_notebook_instance = update_notebook_instance
    SageMakerResponse.update_domain = update_domain
    SageMakerResponse.create_notebook_instance = create_notebook_instance
    SageMakerResponse.describe_notebook_instance = describe_notebook_instance
    SageMakerResponse.update_endpoint = update_endpoint
    SageMakerResponse.create_monitoring_schedule = create_monitoring_schedule
    SageMakerResponse.describe_monitoring_schedule = describe_monitoring_schedule
    SageMakerResponse.list_monitoring_schedules = list_monitoring_schedules
    SageMakerResponse.delete_monitoring_schedule = delete_monitoring_schedule
    SageMakerResponse.update_monitoring_schedule = update_monitoring_schedule
    SageMakerResponse.create_model = create_model
    SageMakerResponse.describe_model = describe_model
    SageMakerResponse.list_models = list_models


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0, help="0 picks a free port")
    parser.add_argument("--stock", action="store_true", help="apply no fix (to show the tests fail)")
    parser.add_argument("--empty-first-page", action="store_true",
                        help="answer the first ListModels page empty, with a NextToken")
    parser.add_argument("--token-cycle", action="store_true",
                        help="a fault: the last ListModels page's NextToken points back to the first page")
    parser.add_argument("--update-seconds", type=float, default=0.3,
                        help="how long UpdateEndpoint keeps an endpoint Updating")
    parser.add_argument("--failing-update", metavar="GLOB",
                        help="updates to endpoint configurations matching GLOB fail")
    parser.add_argument("--slow-update", metavar="GLOB:SECONDS",
                        help="updates to endpoint configurations matching GLOB take SECONDS")
    args = parser.parse_args()
    slow = None
    if args.slow_update:
        glob, _, seconds = args.slow_update.rpartition(":")
        slow = (glob, float(seconds))
    if not args.stock:
        patch(empty_first_page=args.empty_first_page, token_cycle=args.token_cycle, update_seconds=args.update_seconds,
              failing_update=args.failing_update, slow_update=slow)

    from moto.moto_server.threaded_moto_server import ThreadedMotoServer

    # One line per request on stderr drowns test output; errors still show.
    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    server = ThreadedMotoServer(ip_address=args.host, port=args.port, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    print(f"listening on http://{host}:{port}", flush=True)
    threading.Event().wait()


if __name__ == "__main__":
    main()
