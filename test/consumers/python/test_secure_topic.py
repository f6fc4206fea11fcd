"""SecureTopic from Python: fan-out to a QueueWorker (through ``worker.queue``, with a filter policy)
and a SecureFunction, a FIFO topic with a FIFO QueueWorker, a SecureFunction granted to publish;
in STANDARD and REGULATED.

One app per profile (the profile set as the app's default, ``ComplianceChecks.enable`` on, so
synthesis itself fails on any finding), built and synthesized once; the tests read the templates
and run the profile's cdk-nag packs again. Filter policies are aws-cdk-lib's own
``sns.SubscriptionFilter`` / ``sns.FilterOrPolicy`` objects, passed through to the library.
"""
import re

import aws_cdk as cdk
import pytest
from aws_cdk import Duration
from aws_cdk import aws_iam as iam
from aws_cdk import aws_sns as sns
from aws_cdk.assertions import Match, Template

import cdk_nag
from cdk_bulwark import (
    ComplianceChecks,
    CompliancePolicy,
    ComplianceProfile,
    Monitoring,
    QueueWorker,
    SecureFunction,
    SecureTopic,
    SecureTopicAlarmsProps,
    ThresholdAlarmOptions,
)

from conftest import inline_code, nag_violations, resource_of, stack_in, statements_of

FOURTEEN_DAYS = 1209600
HANDLER = {"code": inline_code(), "handler": "index.handler"}
PROFILES = [ComplianceProfile.STANDARD, ComplianceProfile.REGULATED]


def build(profile: ComplianceProfile) -> dict:
    prefix = "Standard" if profile == ComplianceProfile.STANDARD else "Regulated"
    app = cdk.App()
    CompliancePolicy.set_default_profile(app, profile)
    packs = ComplianceChecks.enable(app)

    # Fan-out: a QueueWorker through its queue, a SecureFunction, a publisher.
    fanout = stack_in(app, f"{prefix}Fanout")
    Monitoring(fanout, "Monitoring", email_addresses=["oncall@example.com"])
    orders = SecureTopic(fanout, "OrderEvents", display_name="Order events")
    billing = QueueWorker(fanout, "Billing", handler_props=HANDLER)
    billing_sub = orders.subscribe_queue(
        "Billing", billing.queue,
        raw_message_delivery=True,
        filter_policy={"type": sns.SubscriptionFilter.string_filter(allowlist=["created", "updated"])},
    )
    audit = SecureFunction(fanout, "Audit", code=inline_code(), handler="index.handler")
    audit_sub = orders.subscribe_function(
        "Audit", audit.lambda_function,
        filter_policy_with_message_body={"total": sns.FilterOrPolicy.filter(sns.SubscriptionFilter.numeric_filter(greater_than=100))},
    )
    producer = SecureFunction(fanout, "Producer", code=inline_code(), handler="index.handler")
    grant = orders.grant_publish(producer)

    # FIFO: a FIFO QueueWorker, tuned alarms.
    fifo = stack_in(app, f"{prefix}Fifo")
    Monitoring(fifo, "Monitoring", email_addresses=["oncall@example.com"])
    payments = SecureTopic(
        fifo, "PaymentEvents", fifo=True, content_based_deduplication=True,
        alarms=SecureTopicAlarmsProps(
            notifications_failed=ThresholdAlarmOptions(threshold=2, period=Duration.minutes(1)),
            dead_letter_queue_messages=ThresholdAlarmOptions(threshold=1),
        ),
    )
    settlement = QueueWorker(fifo, "Settlement", fifo=True, handler_props=HANDLER)
    settlement_sub = payments.subscribe_queue("Settlement", settlement.queue)

    app.synth()  # runs the profile's packs: any finding raises here
    return {
        "profile": profile, "app": app, "packs": packs,
        "fanout": fanout, "orders": orders, "billing": billing, "billing_sub": billing_sub,
        "audit": audit, "audit_sub": audit_sub, "producer": producer, "grant": grant,
        "fifo": fifo, "payments": payments, "settlement": settlement, "settlement_sub": settlement_sub,
        "templates": {"fanout": Template.from_stack(fanout), "fifo": Template.from_stack(fifo)},
    }


@pytest.fixture(scope="module", params=PROFILES, ids=lambda p: p.name)
def system(request):
    return build(request.param)


# --- The topic -------------------------------------------------------------------------------

def test_topic_is_encrypted_with_the_stack_key_and_tls_only(system):
    t, stack, orders = system["templates"]["fanout"], system["fanout"], system["orders"]
    assert isinstance(orders.topic, sns.Topic)
    assert orders.compliance_profile == system["profile"]
    t.has_resource_properties("AWS::SNS::Topic", {
        "KmsMasterKeyId": stack.resolve(orders.key.key_arn),
        "DisplayName": "Order events",
        "FifoTopic": Match.absent(),
    })
    t.has_resource_properties("AWS::SNS::TopicPolicy", {
        "Topics": [stack.resolve(orders.topic.topic_arn)],
        "PolicyDocument": {"Statement": Match.array_with([Match.object_like({
            "Effect": "Deny",
            "Action": "sns:Publish",
            "Condition": {"Bool": {"aws:SecureTransport": "false"}},
        })])},
    })


# --- Subscriptions ---------------------------------------------------------------------------

def test_queue_worker_subscription_has_its_filter_policy_and_a_dead_letter_queue(system):
    t, stack = system["templates"]["fanout"], system["fanout"]
    billing, sub = system["billing"], system["billing_sub"]
    assert sub.subscription_id == "Billing"
    assert sub.dead_letter_queue.node.path == f"{stack.stack_name}/OrderEvents/Subscriptions/Billing/DeadLetterQueue"
    t.has_resource_properties("AWS::SNS::Subscription", {
        "Protocol": "sqs",
        "TopicArn": stack.resolve(system["orders"].topic.topic_arn),
        "Endpoint": stack.resolve(billing.queue.queue_arn),
        "RawMessageDelivery": True,
        "FilterPolicy": {"type": ["created", "updated"]},
        "RedrivePolicy": {"deadLetterTargetArn": stack.resolve(sub.dead_letter_queue.queue_arn)},
    })
    # The worker's queue lets only this topic send.
    t.has_resource_properties("AWS::SQS::QueuePolicy", {
        "Queues": [stack.resolve(billing.queue.queue_url)],
        "PolicyDocument": {"Statement": Match.array_with([Match.object_like({
            "Effect": "Allow",
            "Action": "sqs:SendMessage",
            "Principal": {"Service": "sns.amazonaws.com"},
            "Condition": {"ArnEquals": {"aws:SourceArn": stack.resolve(system["orders"].topic.topic_arn)}},
        })])},
    })


def test_function_subscription_filters_on_the_body_and_has_a_dead_letter_queue(system):
    t, stack = system["templates"]["fanout"], system["fanout"]
    audit, sub = system["audit"], system["audit_sub"]
    t.has_resource_properties("AWS::SNS::Subscription", {
        "Protocol": "lambda",
        "Endpoint": stack.resolve(audit.lambda_function.function_arn),
        "FilterPolicyScope": "MessageBody",
        "FilterPolicy": {"total": [{"numeric": [">", 100]}]},
        "RedrivePolicy": {"deadLetterTargetArn": stack.resolve(sub.dead_letter_queue.queue_arn)},
    })
    t.has_resource_properties("AWS::Lambda::Permission", {
        "Action": "lambda:InvokeFunction",
        "FunctionName": stack.resolve(audit.lambda_function.function_arn),
        "Principal": "sns.amazonaws.com",
        "SourceArn": stack.resolve(system["orders"].topic.topic_arn),
    })
    assert [s.subscription_id for s in system["orders"].subscriptions] == ["Billing", "Audit"]


def test_dead_letter_queues_are_retained_and_encrypted_for_the_profile(system):
    t, stack, orders = system["templates"]["fanout"], system["fanout"], system["orders"]
    regulated = system["profile"] == ComplianceProfile.REGULATED
    for sub in (system["billing_sub"], system["audit_sub"]):
        queue = resource_of(t, stack, sub.dead_letter_queue)
        assert queue["DeletionPolicy"] == "Retain"
        assert queue["Properties"]["MessageRetentionPeriod"] == FOURTEEN_DAYS
        if regulated:
            assert queue["Properties"]["KmsMasterKeyId"] == stack.resolve(orders.key.key_arn)
        else:
            assert queue["Properties"]["SqsManagedSseEnabled"] is True
            assert "KmsMasterKeyId" not in queue["Properties"]


def test_alarms_go_to_the_stacks_monitoring(system):
    t, stack, orders = system["templates"]["fanout"], system["fanout"], system["orders"]
    assert len(orders.alarms) == 4  # failed, failed to redrive, one per dead-letter queue
    assert system["billing_sub"].dead_letter_queue_alarm is not None
    registered = {alarm.node.path for alarm in Monitoring.of(stack).alarms}
    assert {alarm.node.path for alarm in orders.alarms} <= registered
    for metric in ("NumberOfNotificationsFailed", "NumberOfNotificationsFailedToRedriveToDlq"):
        t.has_resource_properties("AWS::CloudWatch::Alarm", {
            "Namespace": "AWS/SNS",
            "MetricName": metric,
            "Dimensions": [{"Name": "TopicName", "Value": stack.resolve(orders.topic.topic_name)}],
            "Threshold": 0,
        })
    assert orders.metric_number_of_notifications_failed_to_redrive_to_dlq().metric_name == "NumberOfNotificationsFailedToRedriveToDlq"


def test_grant_publish_to_a_secure_function(system):
    stack, orders, grant = system["fanout"], system["orders"], system["grant"]
    assert isinstance(grant, iam.Grant)
    assert grant.success
    statements = statements_of(system["templates"]["fanout"], stack, system["producer"].role)
    topic_arn = stack.resolve(orders.topic.topic_arn)
    assert {"Action": "sns:Publish", "Effect": "Allow", "Resource": topic_arn} in statements
    assert {
        "Action": ["kms:GenerateDataKey", "kms:Decrypt"],
        "Effect": "Allow",
        "Resource": stack.resolve(orders.key.key_arn),
        "Condition": {"StringEquals": {
            "kms:ViaService": "sns.eu-west-1.amazonaws.com",
            "kms:EncryptionContext:aws:sns:topicArn": topic_arn,
        }},
    } in statements
    actions = [a for s in statements for a in ([s["Action"]] if isinstance(s["Action"], str) else s["Action"])]
    assert "sns:*" not in actions


# --- FIFO ------------------------------------------------------------------------------------

def test_fifo_topic_delivers_to_a_fifo_queue_worker(system):
    t, stack = system["templates"]["fifo"], system["fifo"]
    payments, settlement, sub = system["payments"], system["settlement"], system["settlement_sub"]
    assert payments.topic.fifo is True
    t.has_resource_properties("AWS::SNS::Topic", {
        "FifoTopic": True,
        "ContentBasedDeduplication": True,
        "TopicName": Match.string_like_regexp(r"\.fifo$"),
        "KmsMasterKeyId": stack.resolve(payments.key.key_arn),
    })
    t.has_resource_properties("AWS::SNS::Subscription", {
        "Protocol": "sqs",
        "Endpoint": stack.resolve(settlement.queue.queue_arn),
        "RedrivePolicy": {"deadLetterTargetArn": stack.resolve(sub.dead_letter_queue.queue_arn)},
    })
    assert sub.dead_letter_queue.fifo is True
    assert resource_of(t, stack, sub.dead_letter_queue)["Properties"]["FifoQueue"] is True


def test_fifo_topic_alarms_are_tuned(system):
    t, stack, payments = system["templates"]["fifo"], system["fifo"], system["payments"]
    t.has_resource_properties("AWS::CloudWatch::Alarm", {
        "MetricName": "NumberOfNotificationsFailed",
        "Dimensions": [{"Name": "TopicName", "Value": stack.resolve(payments.topic.topic_name)}],
        "Threshold": 2,
        "Period": 60,
    })
    t.has_resource_properties("AWS::CloudWatch::Alarm", {
        "MetricName": "ApproximateNumberOfMessagesVisible",
        "Dimensions": [{"Name": "QueueName", "Value": stack.resolve(system["settlement_sub"].dead_letter_queue.queue_name)}],
        "Threshold": 1,
    })


# --- Compliance ------------------------------------------------------------------------------

def test_no_findings_in_the_profiles_packs(system):
    profile = system["profile"]
    expected = [cdk_nag.AwsSolutionsChecks, cdk_nag.ServerlessChecks]
    if profile == ComplianceProfile.REGULATED:
        expected += [cdk_nag.HIPAASecurityChecks, cdk_nag.NIST80053R5Checks, cdk_nag.PCIDSS321Checks]
    assert [type(p) for p in system["packs"]] == expected
    assert nag_violations(system["app"], profile) == []


# --- Errors ----------------------------------------------------------------------------------

def test_subscribe_function_on_a_fifo_topic_is_refused():
    stack = stack_in(cdk.App(), "Errors")
    payments = SecureTopic(stack, "Payments", fifo=True)
    fn = SecureFunction(stack, "Audit", code=inline_code(), handler="index.handler")
    with pytest.raises(RuntimeError, match=re.escape(
            "SecureTopic 'Errors/Payments': subscribeFunction('Audit'): FIFO topics deliver only to SQS queues; "
            "subscribe a FIFO queue with subscribeQueue() and let it trigger the function (a FIFO QueueWorker does both)")):
        payments.subscribe_function("Audit", fn.lambda_function)
    assert payments.subscriptions == []
