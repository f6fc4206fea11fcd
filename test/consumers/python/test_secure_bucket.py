"""SecureBucket from Python: props with Duration and the CORS struct, the BucketEventType enum in a list,
an event route to a QueueWorker's queue through HubTarget (the seeds' upload → worker), eventPattern()
for an EventHub route, grants, the alarm struct, and a value the constructor rejects."""
import re

import aws_cdk as cdk
import pytest
from aws_cdk import aws_events as events, aws_s3 as s3
from aws_cdk.assertions import Match, Template

from cdk_bulwark import (BucketCorsOptions, BucketEventPatternOptions, BucketEventRouteOptions, BucketEventType, EventHub, HubTarget,
                         QueueWorker, SecureBucket, SecureBucketAlarmsProps, SecureBucketProps, SecureFunctionProps, ThresholdAlarmOptions)

from conftest import checked_stack, function, inline_code, stack_in


@pytest.fixture(scope="module")
def built():
    b = checked_stack("Buckets")
    b.uploads = SecureBucket(b.stack, "Uploads", noncurrent_version_expiration=cdk.Duration.days(30),
                             cors=BucketCorsOptions(allowed_origins=["https://app.example.com"]),
                             alarms=SecureBucketAlarmsProps(failed_invocations=ThresholdAlarmOptions(threshold=2)))
    worker = QueueWorker(b.stack, "Transform", handler_props=SecureFunctionProps(code=inline_code(), handler="index.handler"))
    b.route = b.uploads.add_event_route("ToTransform", targets=[HubTarget.queue(worker.queue)],
                                        events=[BucketEventType.OBJECT_CREATED, BucketEventType.OBJECT_DELETED], key_prefix="incoming/")
    b.grant = b.uploads.grant_read(worker.handler, "incoming/*")
    hub = EventHub(b.stack, "Hub")
    b.pattern = b.uploads.event_pattern(key_suffix=".csv")
    hub.add_route("Csv", event_pattern=b.pattern, targets=[HubTarget.lambda_function(function(b.stack, "Indexer").lambda_function)])
    b.app.synth()
    b.template = Template.from_stack(b.stack)
    return b


def test_synthesizes_a_compliant_bucket_and_its_route(built):
    """Synthesized with the STANDARD packs registered: a finding would have failed synthesis."""
    built.template.has_resource_properties("AWS::S3::Bucket", {
        "NotificationConfiguration": {"EventBridgeConfiguration": {"EventBridgeEnabled": True}},
        "CorsConfiguration": {"CorsRules": [Match.object_like({"AllowedOrigins": ["https://app.example.com"]})]}})
    built.template.has_resource_properties("AWS::Events::Rule", {"EventPattern": Match.object_like({
        "source": ["aws.s3"], "detail-type": ["Object Created", "Object Deleted"]})})
    built.template.resource_count_is("Custom::S3BucketNotifications", 0)


def test_types_cross_the_boundary(built):
    assert [a.node.id for a in built.route.alarms] == [
        "FailedInvocationsAlarm", "InvocationsSentToDlqAlarm", "InvocationsFailedToBeSentToDlqAlarm"]
    assert built.uploads.events_dead_letter_queue is not None
    assert built.grant.success
    assert isinstance(built.uploads.bucket, s3.Bucket)
    assert isinstance(built.pattern, events.EventPattern)
    assert built.pattern.detail_type == ["Object Created"]
    assert BucketEventPatternOptions(events=[BucketEventType.OBJECT_TAGS_ADDED]).events == [BucketEventType.OBJECT_TAGS_ADDED]
    assert BucketEventRouteOptions(targets=[], key_suffix=".json").key_suffix == ".json"
    assert SecureBucketProps(versioned=False).versioned is False


def test_a_bad_bucket_name_names_the_path_and_the_prop():
    stack = stack_in(cdk.App(), "Errors")
    with pytest.raises(RuntimeError, match=re.escape("SecureBucket 'Errors/Bad': bucketName")):
        SecureBucket(stack, "Bad", bucket_name="Not_A_Bucket")
