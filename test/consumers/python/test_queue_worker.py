"""QueueWorker from Python: keyword args with Durations, nested alarm structs (``QueueWorkerAlarmsProps``
holding ``AgeAlarmOptions`` and ``ThresholdAlarmOptions``), handler props as a struct, brought
resources passed across as interfaces (a key, a function, a Monitoring), and a grant."""
import pytest
from aws_cdk import Duration
from aws_cdk import aws_cloudwatch as cloudwatch
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_sqs as sqs
from aws_cdk.assertions import Match, Template

from cdk_bulwark import (
    AgeAlarmOptions,
    ComplianceProfile,
    Monitoring,
    QueueWorker,
    QueueWorkerAlarmsProps,
    SecureFunction,
    SecureFunctionProps,
    ThresholdAlarmOptions,
)

from conftest import checked_stack, function, inline_code


@pytest.fixture(scope="module")
def built():
    b = checked_stack("Workers")
    b.monitoring = Monitoring(b.stack, "Monitoring", email_addresses=["oncall@example.com"])
    b.orders = QueueWorker(
        b.stack, "Orders",
        compliance_profile=ComplianceProfile.STANDARD,
        monitoring=b.monitoring,
        key=kms.Key(b.stack, "Key", enable_key_rotation=True),
        visibility_timeout=Duration.minutes(10),
        batch_size=100,
        max_batching_window=Duration.seconds(20),
        alarms=QueueWorkerAlarmsProps(
            oldest_message_age=AgeAlarmOptions(max_age=Duration.minutes(5), evaluation_periods=3),
            handler_errors=ThresholdAlarmOptions(threshold=5, period=Duration.minutes(1)),
        ),
        handler_props=SecureFunctionProps(code=inline_code(), handler="index.handler", timeout=Duration.seconds(60)),
    )
    b.own_handler = function(b.stack, "OwnHandler")
    b.refunds = QueueWorker(b.stack, "Refunds", handler=b.own_handler.lambda_function)
    b.grant = b.orders.grant_send_messages(function(b.stack, "Producer"))
    b.app.synth()
    b.template = Template.from_stack(b.stack)
    return b


def test_synthesizes_a_queue_with_dead_letters_and_partial_batch_failures_and_no_finding(built):
    """Synthesized with the STANDARD packs registered: a finding would have failed synthesis."""
    t = built.template
    t.has_resource_properties("AWS::SQS::Queue", {
        "VisibilityTimeout": 600, "RedrivePolicy": Match.object_like({"maxReceiveCount": 5})})
    t.has_resource_properties("AWS::Lambda::EventSourceMapping", {
        "BatchSize": 100, "FunctionResponseTypes": ["ReportBatchItemFailures"]})


def test_getters_metrics_and_grant(built):
    orders = built.orders
    assert isinstance(orders.queue, sqs.Queue)
    assert isinstance(orders.secure_function, SecureFunction)
    # jsii hands Python a new proxy per access: compare constructs by path, not identity.
    assert orders.handler.node.path == "Workers/Orders/Handler/Function"
    assert len(orders.alarms) == 4 and all(isinstance(a, cloudwatch.Alarm) for a in orders.alarms)
    assert {a.node.path for a in orders.alarms} <= {a.node.path for a in built.monitoring.alarms}
    assert orders.metric_approximate_age_of_oldest_message(period=Duration.minutes(1)).period.to_seconds() == 60
    assert isinstance(built.grant, iam.Grant) and built.grant.success


def test_a_brought_function_is_the_handler(built):
    assert built.refunds.secure_function is None
    assert built.refunds.handler.node.path == built.own_handler.lambda_function.node.path
