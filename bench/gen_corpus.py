"""Write a corpus of realistic templates for bench/scan.sh.

Mix: CloudFormation YAML (with short-form tags), CloudFormation JSON and
Terraform HCL, each file holding a SageMaker model beside unrelated resources,
one in three models isolated. Deterministic for a given count.

Usage: python gen_corpus.py OUT_DIR COUNT
"""

import json
import os
import sys


def cfn_yaml(i: int) -> str:
    isolation = ["true", "false", None][i % 3]
    flag = f"      EnableNetworkIsolation: {isolation}\n" if isolation else ""
    return f"""AWSTemplateFormatVersion: "2010-09-09"
Description: Inference stack {i}
Parameters:
  Image:
    Type: String
    Default: 123456789012.dkr.ecr.eu-west-1.amazonaws.com/model-{i}:1
  Bucket:
    Type: String
    Default: artifacts-{i}
Resources:
  Role{i}:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Statement:
          - Effect: Allow
            Principal: {{ Service: sagemaker.amazonaws.com }}
            Action: sts:AssumeRole
  Artifacts{i}:
    Type: AWS::S3::Bucket
    Properties:
      BucketName: !Sub "${{Bucket}}-store"
      VersioningConfiguration: {{ Status: Enabled }}
  Model{i}:
    Type: AWS::SageMaker::Model
    Properties:
      ExecutionRoleArn: !GetAtt Role{i}.Arn
{flag}      PrimaryContainer:
        Image: !Ref Image
        ModelDataUrl: !Sub s3://${{Bucket}}/model.tar.gz
      VpcConfig:
        Subnets: [subnet-0a1b2c3d]
        SecurityGroupIds: [sg-0123abcd]
  Config{i}:
    Type: AWS::SageMaker::EndpointConfig
    Properties:
      ProductionVariants:
        - ModelName: !GetAtt Model{i}.ModelName
          VariantName: primary
          InitialInstanceCount: 1
          InstanceType: ml.m5.large
"""


def cfn_json(i: int) -> str:
    props = {
        "ExecutionRoleArn": {"Fn::GetAtt": [f"Role{i}", "Arn"]},
        "PrimaryContainer": {"Image": f"123456789012.dkr.ecr.us-east-1.amazonaws.com/m{i}:1"},
    }
    if i % 3 != 2:
        props["EnableNetworkIsolation"] = i % 3 == 0
    template = {
        "AWSTemplateFormatVersion": "2010-09-09",
        "Resources": {
            f"Role{i}": {"Type": "AWS::IAM::Role", "Properties": {"AssumeRolePolicyDocument": {"Statement": []}}},
            f"Queue{i}": {"Type": "AWS::SQS::Queue", "Properties": {"VisibilityTimeout": 60}},
            f"Model{i}": {"Type": "AWS::SageMaker::Model", "Properties": props},
        },
    }
    return json.dumps(template, indent=2)


def terraform(i: int) -> str:
    isolation = ["true", "false", None][i % 3]
    flag = f"  enable_network_isolation = {isolation}\n" if isolation else ""
    return f"""resource "aws_iam_role" "model_{i}" {{
  name               = "model-{i}"
  assume_role_policy = "{{}}"
}}

resource "aws_s3_bucket" "artifacts_{i}" {{
  bucket = "artifacts-{i}"
}}

resource "aws_sagemaker_model" "model_{i}" {{
  name               = "model-{i}"
  execution_role_arn = aws_iam_role.model_{i}.arn
{flag}
  primary_container {{
    image          = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/model-{i}:1"
    model_data_url = "s3://artifacts-{i}/model.tar.gz"
  }}
}}
"""


def main() -> None:
    out, count = sys.argv[1], int(sys.argv[2])
    for i in range(count):
        kind = i % 10
        if kind < 4:
            path, text = os.path.join(out, "cfn-yaml", f"stack-{i:05}.yaml"), cfn_yaml(i)
        elif kind < 7:
            path, text = os.path.join(out, "cfn-json", f"stack-{i:05}.json"), cfn_json(i)
        else:
            path, text = os.path.join(out, "terraform", f"mod-{i:05}", "main.tf"), terraform(i)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w") as fh:
            fh.write(text)


if __name__ == "__main__":
    main()
