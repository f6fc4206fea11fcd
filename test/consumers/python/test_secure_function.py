"""SecureFunction from Python: defaults, every prop with enums and Durations, and interop with
aws-cdk-lib (it is an ``iam.IGrantable``, its function an ``lambda_.IFunction``)."""
import aws_cdk as cdk
import pytest
from aws_cdk import Duration
from aws_cdk import aws_cloudwatch as cloudwatch
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_iam as iam
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_logs as logs
from aws_cdk import aws_sqs as sqs
from aws_cdk.assertions import Match, Template

from cdk_bulwark import (
    ComplianceChecks,
    ComplianceProfile,
    FunctionAlarmsProps,
    SecureFunction,
    ThresholdAlarmOptions,
)

from conftest import inline_code, nag_violations, stack_in


@pytest.fixture(scope="module")
def functions():
    app = cdk.App()
    ComplianceChecks.enable(app)
    stack = stack_in(app, "Functions")
    plain = SecureFunction(stack, "Plain", code=inline_code(), handler="index.handler")
    tuned = SecureFunction(
        stack, "Tuned",
        code=inline_code(),
        handler="index.handler",
        runtime=lambda_.Runtime.NODEJS_24_X,
        architecture=lambda_.Architecture.ARM_64,
        memory_size=2048,
        timeout=Duration.minutes(2),
        description="Tuned function",
        environment={"STAGE": "prod"},
        application_log_level=lambda_.ApplicationLogLevel.WARN,
        log_retention=logs.RetentionDays.ONE_MONTH,
        async_retry_attempts=0,
        async_max_event_age=Duration.minutes(30),
        alarms=FunctionAlarmsProps(errors=ThresholdAlarmOptions(threshold=3), throttles=ThresholdAlarmOptions(enabled=False)),
    )
    # Interop: a SecureFunction is an IGrantable for aws-cdk-lib's own grant methods.
    bucket_queue = sqs.Queue(stack, "Work", enforce_ssl=True, encryption=sqs.QueueEncryption.SQS_MANAGED,
                             dead_letter_queue=sqs.DeadLetterQueue(max_receive_count=5, queue=sqs.Queue(
                                 stack, "WorkDeadLetters", enforce_ssl=True, encryption=sqs.QueueEncryption.SQS_MANAGED,
                                 retention_period=Duration.days(14))))
    cdk.Validations.of(bucket_queue.dead_letter_queue.queue.node.default_child).acknowledge(
        cdk.Acknowledgment(id="Serverless-SQSRedrivePolicy", reason="[false positive] it is the dead-letter queue of Work"))
    bucket_queue.grant_send_messages(plain)
    app.synth()
    return {"app": app, "stack": stack, "plain": plain, "tuned": tuned, "template": Template.from_stack(stack)}


def test_defaults(functions):
    t = functions["template"]
    stack, plain = functions["stack"], functions["plain"]
    t.has_resource_properties("AWS::Lambda::Function", {
        "Role": stack.resolve(plain.role.role_arn),
        "Architectures": ["arm64"],
        "MemorySize": 512,
        "Timeout": 30,
        "TracingConfig": {"Mode": "Active"},
        "LoggingConfig": {"LogFormat": "JSON", "ApplicationLogLevel": "INFO", "SystemLogLevel": Match.any_value(),
                          "LogGroup": stack.resolve(plain.log_group.log_group_name)},
        "DeadLetterConfig": {"TargetArn": stack.resolve(plain.dead_letter_queue.queue_arn)},
    })
    t.has_resource("AWS::Logs::LogGroup", {"Properties": {"RetentionInDays": 365}, "DeletionPolicy": "Retain"})
    t.has_resource_properties("AWS::Lambda::EventInvokeConfig", {"MaximumRetryAttempts": 2, "MaximumEventAgeInSeconds": 21600})
    assert plain.key is None
    assert plain.reserved_concurrent_executions is None
    assert plain.timeout.to_seconds() == 30
    assert plain.compliance_profile == ComplianceProfile.STANDARD


def test_every_prop(functions):
    t = functions["template"]
    t.has_resource_properties("AWS::Lambda::Function", {
        "Runtime": "nodejs24.x",
        "MemorySize": 2048,
        "Timeout": 120,
        "Description": "Tuned function",
        "Environment": {"Variables": {"STAGE": "prod"}},
        "LoggingConfig": Match.object_like({"ApplicationLogLevel": "WARN"}),
    })
    t.has_resource_properties("AWS::Logs::LogGroup", {"RetentionInDays": 30})
    t.has_resource_properties("AWS::Lambda::EventInvokeConfig", {"MaximumRetryAttempts": 0, "MaximumEventAgeInSeconds": 1800})
    t.has_resource_properties("AWS::CloudWatch::Alarm", {"MetricName": "Errors", "Threshold": 3})
    # Throttles alarm only for the plain function; the tuned one turned it off.
    assert len(functions["tuned"].alarms) == 1
    assert len(functions["plain"].alarms) == 2


def test_one_async_failure_queue_per_stack(functions):
    plain, tuned = functions["plain"], functions["tuned"]
    assert plain.dead_letter_queue.node.path == tuned.dead_letter_queue.node.path


def test_grant_to_a_secure_function(functions):
    stack, plain = functions["stack"], functions["plain"]
    # jsii interfaces are typing Protocols (no isinstance); the grant above took it as an IGrantable.
    assert isinstance(plain.grant_principal, iam.Role)
    functions["template"].has_resource_properties("AWS::IAM::Policy", {
        "Roles": [stack.resolve(plain.role.role_name)],
        "PolicyDocument": {"Statement": Match.array_with([Match.object_like({
            "Action": Match.array_with(["sqs:SendMessage"]),
        })])},
    })


def test_metrics_and_function_interop(functions):
    plain = functions["plain"]
    metric = plain.metric_duration(statistic="p99", period=Duration.minutes(1))
    assert isinstance(metric, cloudwatch.Metric)
    assert (metric.metric_name, metric.statistic, metric.period.to_seconds()) == ("Duration", "p99", 60)
    assert plain.metric_errors().metric_name == "Errors"
    assert plain.metric_throttles().metric_name == "Throttles"
    assert plain.metric_invocations().metric_name == "Invocations"
    assert isinstance(plain.lambda_function, lambda_.Function)


def test_no_standard_findings(functions):
    assert nag_violations(functions["app"], ComplianceProfile.STANDARD) == []


def test_own_vpc():
    app = cdk.App()
    stack = stack_in(app, "InVpc")
    vpc = ec2.Vpc(stack, "Vpc", max_azs=2, nat_gateways=0,
                  subnet_configuration=[ec2.SubnetConfiguration(name="isolated", subnet_type=ec2.SubnetType.PRIVATE_ISOLATED)])
    fn = SecureFunction(stack, "Fn", code=inline_code(), handler="index.handler", vpc=vpc,
                        vpc_subnets=ec2.SubnetSelection(subnet_type=ec2.SubnetType.PRIVATE_ISOLATED))
    t = Template.from_stack(stack)
    t.has_resource_properties("AWS::Lambda::Function", {"VpcConfig": Match.object_like({
        "SubnetIds": [stack.resolve(s.subnet_id) for s in vpc.isolated_subnets],
    })})
    t.has_resource_properties("AWS::EC2::SecurityGroup", {
        "SecurityGroupEgress": [Match.object_like({"FromPort": 443, "ToPort": 443, "IpProtocol": "tcp"})],
    })
    assert fn.compliance_profile == ComplianceProfile.STANDARD
