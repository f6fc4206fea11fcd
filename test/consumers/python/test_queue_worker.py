"""QueueWorker from Python: minimal, FIFO, bring-your-own resources, every prop.

One app with one stack per scenario, built and synthesized once for the module with
``ComplianceChecks.enable`` on (so synthesis itself fails on any cdk-nag or CloudFormation Validate
finding), then each test reads the template of its stack.
"""
import aws_cdk as cdk
import pytest
from aws_cdk import Duration
from aws_cdk import aws_cloudwatch as cloudwatch
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_logs as logs
from aws_cdk import aws_sqs as sqs
from aws_cdk.assertions import Match, Template

import cdk_nag
from cdk_bulwark import (
    AgeAlarmOptions,
    ComplianceChecks,
    ComplianceProfile,
    Monitoring,
    QueueWorker,
    QueueWorkerAlarmsProps,
    SecureFunction,
    SecureFunctionProps,
    ThresholdAlarmOptions,
)

from conftest import inline_code, nag_violations, stack_in

USER_DLQ_REASON = "[false positive] This queue is the dead-letter queue of OwnQueue."


@pytest.fixture(scope="module")
def scenarios():
    app = cdk.App()
    packs = ComplianceChecks.enable(app, profile=ComplianceProfile.STANDARD)

    # Minimal: only the handler's code and entry point (props as a struct).
    minimal_stack = stack_in(app, "Minimal")
    minimal = QueueWorker(minimal_stack, "Orders",
                          handler_props=SecureFunctionProps(code=inline_code(), handler="index.handler"))

    # FIFO, with the handler props as a plain dict, as Python users often write them.
    fifo_stack = stack_in(app, "Fifo")
    fifo = QueueWorker(fifo_stack, "Payments", fifo=True, content_based_deduplication=True, batch_size=5,
                       handler_props={"code": inline_code(), "handler": "index.handler"})

    # Bring your own key, dead-letter queue and handler; and, separately, your own queue.
    byo_stack = stack_in(app, "BringYourOwn")
    key = kms.Key(byo_stack, "Key", enable_key_rotation=True)
    own_dlq = sqs.Queue(byo_stack, "OwnDeadLetterQueue", encryption=sqs.QueueEncryption.KMS,
                        encryption_master_key=key, enforce_ssl=True, retention_period=Duration.days(14))
    own_handler = SecureFunction(byo_stack, "OwnHandler", code=inline_code(), handler="index.handler",
                                 timeout=Duration.seconds(10))
    byo = QueueWorker(byo_stack, "Invoices", key=key, dead_letter_queue=own_dlq, handler=own_handler.lambda_function)
    queue_dlq = sqs.Queue(byo_stack, "OwnQueueDeadLetters", encryption=sqs.QueueEncryption.SQS_MANAGED,
                          enforce_ssl=True, retention_period=Duration.days(14))
    own_queue = sqs.Queue(byo_stack, "OwnQueue", encryption=sqs.QueueEncryption.SQS_MANAGED, enforce_ssl=True,
                          visibility_timeout=Duration.minutes(3),
                          dead_letter_queue=sqs.DeadLetterQueue(queue=queue_dlq, max_receive_count=5))
    byo_queue = QueueWorker(byo_stack, "Refunds", queue=own_queue,
                            handler_props=SecureFunctionProps(code=inline_code(), handler="index.handler"))
    # Our own dead-letter queues are ours to acknowledge (the library acknowledges only what it creates).
    for dlq in (own_dlq, queue_dlq):
        cdk.Validations.of(dlq.node.default_child).acknowledge(
            cdk.Acknowledgment(id="Serverless-SQSRedrivePolicy", reason=USER_DLQ_REASON))
    producer = SecureFunction(byo_stack, "Producer", code=inline_code(), handler="index.handler")
    grant = byo.grant_send_messages(producer)

    # Every prop, with Durations, enums and nested alarm structs.
    max_stack = stack_in(app, "Maximal")
    monitoring = Monitoring(max_stack, "Monitoring", email_addresses=["oncall@example.com"])
    max_key = kms.Key(max_stack, "Key", enable_key_rotation=True)
    maximal = QueueWorker(
        max_stack, "Shipments",
        compliance_profile=ComplianceProfile.STANDARD,
        monitoring=monitoring,
        key=max_key,
        visibility_timeout=Duration.minutes(10),
        retention_period=Duration.days(7),
        max_receive_count=8,
        batch_size=100,
        max_batching_window=Duration.seconds(20),
        max_concurrency=20,
        alarms=QueueWorkerAlarmsProps(
            oldest_message_age=AgeAlarmOptions(max_age=Duration.minutes(5), evaluation_periods=3, datapoints_to_alarm=2),
            handler_errors=ThresholdAlarmOptions(threshold=5, period=Duration.minutes(1)),
            dead_letter_queue_messages=ThresholdAlarmOptions(threshold=0, evaluation_periods=2),
        ),
        handler_props=SecureFunctionProps(
            code=inline_code(),
            handler="index.handler",
            description="Processes shipments",
            memory_size=1024,
            timeout=Duration.seconds(60),
            architecture=lambda_.Architecture.X86_64,
            environment={"TABLE": "shipments"},
            application_log_level=lambda_.ApplicationLogLevel.DEBUG,
            log_retention=logs.RetentionDays.SIX_MONTHS,
            reserved_concurrent_executions=25,
            async_retry_attempts=1,
            async_max_event_age=Duration.hours(1),
        ),
    )

    app.synth()  # runs the packs registered by ComplianceChecks.enable: any finding raises here
    return {
        "app": app, "packs": packs, "minimal": minimal, "fifo": fifo, "byo": byo, "byo_queue": byo_queue,
        "maximal": maximal, "monitoring": monitoring, "grant": grant,
        "templates": {s.stack_name: Template.from_stack(s) for s in (minimal_stack, fifo_stack, byo_stack, max_stack)},
    }


def template(scenarios, name: str) -> Template:
    return scenarios["templates"][name]


def ref(logical_id: str):
    return {"Ref": logical_id}


# --- Minimal ---------------------------------------------------------------------------------

def test_minimal_creates_queue_dead_letter_queue_function_and_mapping(scenarios):
    t = template(scenarios, "Minimal")
    t.resource_count_is("AWS::Lambda::Function", 1)
    t.resource_count_is("AWS::Lambda::EventSourceMapping", 1)
    t.resource_count_is("AWS::SQS::Queue", 3)  # queue, its DLQ and the stack's async-failure queue
    # 6 x the 30 s default timeout; SQS-managed encryption in STANDARD; the DLQ after 5 receives.
    t.has_resource_properties("AWS::SQS::Queue", {
        "VisibilityTimeout": 180,
        "MessageRetentionPeriod": 345600,
        "SqsManagedSseEnabled": True,
        "RedrivePolicy": {"deadLetterTargetArn": Match.any_value(), "maxReceiveCount": 5},
    })
    t.has_resource("AWS::SQS::Queue", {
        "Properties": Match.object_like({"MessageRetentionPeriod": 1209600}),
        "DeletionPolicy": "Retain",
    })
    t.has_resource_properties("AWS::Lambda::EventSourceMapping", {
        "BatchSize": 10,
        "FunctionResponseTypes": ["ReportBatchItemFailures"],
    })


def test_minimal_function_has_the_secure_defaults(scenarios):
    template(scenarios, "Minimal").has_resource_properties("AWS::Lambda::Function", {
        "Architectures": ["arm64"],
        "Runtime": "nodejs24.x",
        "MemorySize": 512,
        "Timeout": 30,
        "TracingConfig": {"Mode": "Active"},
        "LoggingConfig": Match.object_like({"LogFormat": "JSON", "ApplicationLogLevel": "INFO"}),
        "DeadLetterConfig": {"TargetArn": Match.any_value()},
    })


def test_minimal_queues_deny_requests_without_tls(scenarios):
    template(scenarios, "Minimal").has_resource_properties("AWS::SQS::QueuePolicy", {
        "PolicyDocument": {"Statement": Match.array_with([Match.object_like({
            "Effect": "Deny",
            "Condition": {"Bool": {"aws:SecureTransport": "false"}},
        })])},
    })


def test_minimal_alarms_go_to_the_stacks_alarm_topic(scenarios):
    t = template(scenarios, "Minimal")
    # DLQ, oldest message, handler errors and throttles + the async-failure queue's alarm.
    t.resource_count_is("AWS::CloudWatch::Alarm", 5)
    t.resource_count_is("AWS::SNS::Topic", 1)
    t.resource_count_is("AWS::CloudWatch::Dashboard", 1)
    t.has_resource_properties("AWS::CloudWatch::Alarm", {
        "MetricName": "ApproximateAgeOfOldestMessage",
        "Threshold": 900,
        "EvaluationPeriods": 5,
        "AlarmActions": [Match.any_value()],
        "OKActions": [Match.any_value()],
    })


def test_python_sees_typed_attributes(scenarios):
    worker = scenarios["minimal"]
    assert isinstance(worker.queue, sqs.Queue)
    assert worker.dead_letter_queue is not None
    assert isinstance(worker.secure_function, SecureFunction)
    # jsii hands Python a new proxy per access: compare constructs by path, not identity.
    assert worker.handler.node.path == worker.secure_function.lambda_function.node.path == "Minimal/Orders/Handler/Function"
    assert worker.compliance_profile == ComplianceProfile.STANDARD
    assert len(worker.alarms) == 4
    assert all(isinstance(a, cloudwatch.Alarm) for a in worker.alarms)
    metric = worker.metric_approximate_age_of_oldest_message(period=Duration.minutes(1))
    assert metric.metric_name == "ApproximateAgeOfOldestMessage"
    assert metric.statistic == "Maximum"
    assert worker.metric_dead_letter_queue_messages_visible().metric_name == "ApproximateNumberOfMessagesVisible"


# --- FIFO ------------------------------------------------------------------------------------

def test_fifo_queue_and_dead_letter_queue_are_fifo(scenarios):
    t = template(scenarios, "Fifo")
    t.has_resource_properties("AWS::SQS::Queue", {
        "FifoQueue": True,
        "ContentBasedDeduplication": True,
        "RedrivePolicy": Match.object_like({"maxReceiveCount": 5}),
    })
    t.has_resource_properties("AWS::SQS::Queue", {"FifoQueue": True, "MessageRetentionPeriod": 1209600})
    t.has_resource_properties("AWS::Lambda::EventSourceMapping", {
        "BatchSize": 5,
        "MaximumBatchingWindowInSeconds": Match.absent(),
    })
    assert scenarios["fifo"].queue.fifo is True


# --- Bring your own --------------------------------------------------------------------------

def test_own_key_encrypts_the_created_queue(scenarios):
    t = template(scenarios, "BringYourOwn")
    stack = cdk.Stack.of(scenarios["byo"])
    byo = scenarios["byo"]
    # Visibility timeout from the brought function's 10 s timeout.
    t.has_resource_properties("AWS::SQS::Queue", {
        "VisibilityTimeout": 60,
        "KmsMasterKeyId": stack.resolve(byo.queue.encryption_master_key.key_arn),
        "RedrivePolicy": {
            "deadLetterTargetArn": stack.resolve(byo.dead_letter_queue.queue_arn),
            "maxReceiveCount": 5,
        },
    })


def test_own_handler_consumes_the_queue(scenarios):
    byo = scenarios["byo"]
    assert byo.secure_function is None
    stack = cdk.Stack.of(byo)
    template(scenarios, "BringYourOwn").has_resource_properties("AWS::Lambda::EventSourceMapping", {
        "EventSourceArn": stack.resolve(byo.queue.queue_arn),
        "FunctionName": stack.resolve(byo.handler.function_name),
        "FunctionResponseTypes": ["ReportBatchItemFailures"],
    })


def test_own_queue_is_consumed_as_is(scenarios):
    refunds = scenarios["byo_queue"]
    stack = cdk.Stack.of(refunds)
    assert refunds.queue.node.id == "OwnQueue"
    assert refunds.dead_letter_queue.node.id == "OwnQueueDeadLetters"
    template(scenarios, "BringYourOwn").has_resource_properties("AWS::Lambda::EventSourceMapping", {
        "EventSourceArn": stack.resolve(refunds.queue.queue_arn),
    })


def test_grant_send_messages_to_a_secure_function(scenarios):
    grant = scenarios["grant"]
    assert isinstance(grant, iam.Grant)
    assert grant.success
    template(scenarios, "BringYourOwn").has_resource_properties("AWS::IAM::Policy", {
        "PolicyDocument": {"Statement": Match.array_with([
            Match.object_like({"Action": ["sqs:SendMessage", "sqs:GetQueueAttributes", "sqs:GetQueueUrl"], "Effect": "Allow"}),
            Match.object_like({"Action": ["kms:GenerateDataKey", "kms:Decrypt"], "Effect": "Allow"}),
        ])},
    })


# --- Every prop ------------------------------------------------------------------------------

def test_maximal_queue_props(scenarios):
    t = template(scenarios, "Maximal")
    t.has_resource_properties("AWS::SQS::Queue", {
        "VisibilityTimeout": 600,
        "MessageRetentionPeriod": 604800,
        "KmsMasterKeyId": Match.any_value(),
        "RedrivePolicy": Match.object_like({"maxReceiveCount": 8}),
    })
    t.has_resource_properties("AWS::Lambda::EventSourceMapping", {
        "BatchSize": 100,
        "MaximumBatchingWindowInSeconds": 20,
        "ScalingConfig": {"MaximumConcurrency": 20},
    })


def test_maximal_handler_props(scenarios):
    t = template(scenarios, "Maximal")
    t.has_resource_properties("AWS::Lambda::Function", {
        "Description": "Processes shipments",
        "MemorySize": 1024,
        "Timeout": 60,
        "Architectures": ["x86_64"],
        "Environment": {"Variables": {"TABLE": "shipments"}},
        "LoggingConfig": Match.object_like({"ApplicationLogLevel": "DEBUG"}),
        "ReservedConcurrentExecutions": 25,
    })
    t.has_resource_properties("AWS::Logs::LogGroup", {"RetentionInDays": 180})
    t.has_resource_properties("AWS::Lambda::EventInvokeConfig", {
        "MaximumRetryAttempts": 1,
        "MaximumEventAgeInSeconds": 3600,
    })


def test_maximal_alarm_props(scenarios):
    t = template(scenarios, "Maximal")
    t.has_resource_properties("AWS::CloudWatch::Alarm", {
        "MetricName": "ApproximateAgeOfOldestMessage",
        "Threshold": 300,
        "EvaluationPeriods": 3,
        "DatapointsToAlarm": 2,
    })
    t.has_resource_properties("AWS::CloudWatch::Alarm", {"MetricName": "Errors", "Threshold": 5, "Period": 60})
    t.has_resource_properties("AWS::CloudWatch::Alarm", {
        "MetricName": "ApproximateNumberOfMessagesVisible",
        "Threshold": 0,
        "EvaluationPeriods": 2,
    })
    registered = {alarm.node.path for alarm in scenarios["monitoring"].alarms}
    assert {alarm.node.path for alarm in scenarios["maximal"].alarms} <= registered


# --- Compliance ------------------------------------------------------------------------------

def test_enable_registered_the_standard_packs(scenarios):
    assert [type(p) for p in scenarios["packs"]] == [cdk_nag.AwsSolutionsChecks, cdk_nag.ServerlessChecks]


def test_no_standard_findings_in_any_scenario(scenarios):
    assert nag_violations(scenarios["app"], ComplianceProfile.STANDARD) == []
