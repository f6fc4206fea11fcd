"""StreamProcessor from Python: a created handler from SecureFunctionProps, provisioned shards, Duration
props, the lambda StartingPosition enum with a timestamp, enhanced fan-out, the alarm struct that extends
StreamConsumerAlarmsProps, a producer grant, and a value the constructor rejects."""
import re

import aws_cdk as cdk
import pytest
from aws_cdk import aws_kinesis as kinesis, aws_lambda as lambda_
from aws_cdk.assertions import Match, Template

from cdk_bulwark import (AgeAlarmOptions, SecureFunctionProps, StreamProcessor, StreamProcessorAlarmsProps, StreamProcessorProps,
                         ThresholdAlarmOptions)

from conftest import checked_stack, function, inline_code, stack_in


@pytest.fixture(scope="module")
def built():
    b = checked_stack("Streams")
    b.clicks = StreamProcessor(b.stack, "Clicks",
                               handler_props=SecureFunctionProps(code=inline_code(), handler="index.handler"),
                               shard_count=2, retention_period=cdk.Duration.hours(48), enhanced_fan_out=True,
                               starting_position=lambda_.StartingPosition.AT_TIMESTAMP, starting_position_timestamp=1767225600,
                               alarms=StreamProcessorAlarmsProps(iterator_age=AgeAlarmOptions(max_age=cdk.Duration.minutes(1)),
                                                                 write_throttles=ThresholdAlarmOptions(threshold=5)))
    b.grant = b.clicks.grant_write(function(b.stack, "Producer"))
    b.app.synth()
    b.template = Template.from_stack(b.stack)
    return b


def test_synthesizes_a_compliant_stream_and_consumer(built):
    """Synthesized with the STANDARD packs registered: a finding would have failed synthesis."""
    built.template.has_resource_properties("AWS::Kinesis::Stream", {"ShardCount": 2, "RetentionPeriodHours": 48})
    built.template.has_resource_properties("AWS::Lambda::EventSourceMapping", {
        "StartingPosition": "AT_TIMESTAMP", "BisectBatchOnFunctionError": True,
        "DestinationConfig": {"OnFailure": {"Destination": Match.any_value()}}})


def test_types_cross_the_boundary(built):
    assert isinstance(built.clicks.stream, kinesis.Stream)
    assert built.clicks.stream_consumer is not None
    assert built.grant.success
    assert [a.node.id for a in built.clicks.alarms][:4] == [
        "IteratorAgeAlarm", "FailureQueueAlarm", "DestinationDeliveryFailuresAlarm", "WriteThrottlesAlarm"]
    assert StreamProcessorProps(shard_count=1).shard_count == 1


def test_a_retention_under_a_day_names_the_path_and_the_prop():
    stack = stack_in(cdk.App(), "Errors")
    with pytest.raises(RuntimeError, match=re.escape("StreamProcessor 'Errors/Bad': retentionPeriod is 12 hours")):
        StreamProcessor(stack, "Bad", handler_props=SecureFunctionProps(code=inline_code(), handler="index.handler"),
                        retention_period=cdk.Duration.hours(12))
