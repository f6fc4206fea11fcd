"""SecureTopic from Python: a QueueWorker's queue and a SecureFunction subscribed with aws-cdk-lib filter
policies (maps of jsii objects), ``subscribe_queue`` returning a ``TopicSubscription`` struct, handler
props given as a plain dict, and ``grant_publish`` (to a service principal with ``ServiceGrantOptions``)."""
import pytest
from aws_cdk import Duration
from aws_cdk import aws_iam as iam
from aws_cdk import aws_sns as sns
from aws_cdk.assertions import Match, Template

from cdk_bulwark import QueueWorker, SecureTopic, SecureTopicAlarmsProps, ServiceGrantOptions, ThresholdAlarmOptions, TopicSubscription

from conftest import checked_stack, function, inline_code


@pytest.fixture(scope="module")
def built():
    b = checked_stack("Topic")
    b.topic = SecureTopic(b.stack, "OrderEvents", display_name="Order events",
                          alarms=SecureTopicAlarmsProps(notifications_failed=ThresholdAlarmOptions(threshold=2, period=Duration.minutes(1))))
    # A dict where a struct is the parameter: jsii turns it into SecureFunctionProps.
    billing = QueueWorker(b.stack, "Billing", handler_props={"code": inline_code(), "handler": "index.handler"})
    b.billing = b.topic.subscribe_queue(
        "Billing", billing.queue, raw_message_delivery=True,
        filter_policy={"type": sns.SubscriptionFilter.string_filter(allowlist=["created", "updated"])})
    audit = function(b.stack, "Audit")
    b.audit = b.topic.subscribe_function(
        "Audit", audit.lambda_function,
        filter_policy_with_message_body={"total": sns.FilterOrPolicy.filter(sns.SubscriptionFilter.numeric_filter(greater_than=100))})
    b.grant = b.topic.grant_publish(audit)
    # The options struct as keyword arguments, as Python users write it (ServiceGrantOptions is its type).
    b.bucket_grant = b.topic.grant_publish(iam.ServicePrincipal("s3.amazonaws.com"), source_arn="arn:aws:s3:::orders-uploads")
    b.app.synth()
    b.template = Template.from_stack(b.stack)
    return b


def test_synthesizes_filtered_subscriptions_with_dead_letter_queues_and_no_finding(built):
    """Synthesized with the STANDARD packs registered: a finding would have failed synthesis."""
    built.template.has_resource_properties("AWS::SNS::Subscription", {
        "Protocol": "sqs", "FilterPolicy": {"type": ["created", "updated"]},
        "RedrivePolicy": {"deadLetterTargetArn": Match.any_value()}})


def test_subscriptions_come_back_as_structs(built):
    assert isinstance(built.billing, TopicSubscription)
    assert built.billing.subscription_id == "Billing"
    assert isinstance(built.billing.subscription, sns.Subscription)
    assert built.billing.dead_letter_queue.node.path == "Topic/OrderEvents/Subscriptions/Billing/DeadLetterQueue"
    assert [s.subscription_id for s in built.topic.subscriptions] == ["Billing", "Audit"]
    assert built.grant.success


def test_a_service_principal_is_scoped_to_its_source(built):
    """ServiceGrantOptions from Python: the topic policy admits S3 only for this account and this bucket."""
    assert ServiceGrantOptions(source_arn="arn:aws:s3:::orders-uploads").source_arn == "arn:aws:s3:::orders-uploads"
    built.template.has_resource_properties("AWS::SNS::TopicPolicy", {"PolicyDocument": {"Statement": Match.array_with([Match.object_like({
        "Principal": {"Service": "s3.amazonaws.com"},
        "Condition": {"StringEquals": {"aws:SourceAccount": Match.any_value()}, "ArnLike": {"aws:SourceArn": "arn:aws:s3:::orders-uploads"}}})])}})
