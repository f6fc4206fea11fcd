"""SecureTable from Python: the billing choice (``TableBilling.provisioned`` with ``TableCapacityOptions``, and
``TableBilling.on_demand`` with its options as keyword arguments), the ``TableBillingMode`` enum, indexes added
with keyword arguments (``TableIndexOptions``), the alarm struct, grants to a SecureFunction, and a value the
constructor rejects."""
import re

import aws_cdk as cdk
import pytest
from aws_cdk import aws_dynamodb as dynamodb
from aws_cdk.assertions import Match, Template

from cdk_bulwark import (AgeAlarmOptions, ComplianceProfile, OnDemandBillingOptions, ProvisionedBillingOptions, SecureTable,
                         SecureTableAlarmsProps, StreamConsumerAlarmsProps, StreamConsumerOptions, TableBilling, TableBillingMode,
                         TableCapacityOptions, TableIndexOptions, TableStreamConsumer, ThresholdAlarmOptions)

from conftest import checked_stack, function, stack_in

ORDER_ID = dynamodb.Attribute(name="orderId", type=dynamodb.AttributeType.STRING)


@pytest.fixture(scope="module")
def built():
    b = checked_stack("Tables")
    b.billing = TableBilling.provisioned(read_capacity=TableCapacityOptions(max_capacity=40, min_capacity=2),
                                         write_capacity=TableCapacityOptions(max_capacity=20, target_utilization_percent=60))
    b.orders = SecureTable(b.stack, "Orders", partition_key=ORDER_ID, billing=b.billing, time_to_live_attribute="expiresAt",
                           stream=dynamodb.StreamViewType.NEW_IMAGE,
                           alarms=SecureTableAlarmsProps(consumed_read_capacity=ThresholdAlarmOptions(threshold=0.9)))
    b.orders.add_global_secondary_index(index_name="byCustomer",
                                        partition_key=dynamodb.Attribute(name="customerId", type=dynamodb.AttributeType.STRING),
                                        projection_type=dynamodb.ProjectionType.KEYS_ONLY)
    b.on_demand = TableBilling.on_demand(max_read_request_units=500)
    b.events = SecureTable(b.stack, "Events", partition_key=ORDER_ID, billing=b.on_demand)
    reader = function(b.stack, "Reader")
    b.grant = b.orders.grant_read_data(reader)
    b.orders.grant_stream_read(reader)
    b.consumer = b.orders.add_stream_consumer("Projector", function(b.stack, "Projector").lambda_function, batch_size=50,
                                              alarms=StreamConsumerAlarmsProps(iterator_age=AgeAlarmOptions(max_age=cdk.Duration.minutes(2))))
    b.events.grant_read_write_data(function(b.stack, "Writer"))
    b.app.synth()
    b.template = Template.from_stack(b.stack)
    return b


def test_synthesizes_recoverable_tables_and_no_finding(built):
    """Synthesized with the STANDARD packs registered: a finding would have failed synthesis."""
    built.template.resource_properties_count_is("AWS::DynamoDB::Table", {
        "PointInTimeRecoverySpecification": {"PointInTimeRecoveryEnabled": True}, "DeletionProtectionEnabled": True}, 2)
    built.template.has_resource_properties("AWS::DynamoDB::Table", {
        "GlobalSecondaryIndexes": [Match.object_like({"IndexName": "byCustomer", "Projection": {"ProjectionType": "KEYS_ONLY"}})],
        "TimeToLiveSpecification": {"AttributeName": "expiresAt", "Enabled": True}})
    built.template.has_resource_properties("AWS::DynamoDB::Table", {"OnDemandThroughput": {"MaxReadRequestUnits": 500}})


def test_the_billing_choice_and_structs_cross_the_boundary(built):
    assert built.billing.mode == TableBillingMode.PROVISIONED
    assert built.on_demand.mode == TableBillingMode.ON_DEMAND
    assert ProvisionedBillingOptions(read_capacity=TableCapacityOptions(max_capacity=1),
                                     write_capacity=TableCapacityOptions(max_capacity=1)).read_capacity.max_capacity == 1
    assert OnDemandBillingOptions(max_write_request_units=5).max_write_request_units == 5
    assert TableIndexOptions(index_name="byStatus", partition_key=ORDER_ID).index_name == "byStatus"
    assert built.orders.global_secondary_indexes == ["byCustomer"]
    assert built.orders.compliance_profile == ComplianceProfile.STANDARD
    assert [a.node.id for a in built.orders.alarms] == [
        "ThrottledRequestsAlarm", "SystemErrorsAlarm", "ConsumedReadCapacityAlarm", "ConsumedWriteCapacityAlarm",
        "ThrottledRequestsAlarm", "ConsumedReadCapacityAlarm", "ConsumedWriteCapacityAlarm"]  # the last three are the index's
    built.template.has_resource_properties("AWS::CloudWatch::Alarm", {"Threshold": 0.9, "EvaluationPeriods": 3})
    assert built.grant.success
    assert isinstance(built.orders.table, dynamodb.Table)


def test_a_stream_consumer_has_its_mapping_failure_queue_and_alarms(built):
    assert isinstance(built.consumer, TableStreamConsumer)
    assert [a.node.id for a in built.consumer.alarms] == ["IteratorAgeAlarm", "FailureQueueAlarm", "DestinationDeliveryFailuresAlarm"]
    assert StreamConsumerOptions(retry_attempts=1).retry_attempts == 1
    built.template.has_resource_properties("AWS::Lambda::EventSourceMapping", {
        "BatchSize": 50, "BisectBatchOnFunctionError": True, "MaximumRetryAttempts": 3,
        "DestinationConfig": {"OnFailure": {"Destination": Match.any_value()}}})


def test_scaling_follows_the_bounds(built):
    built.template.has_resource_properties("AWS::ApplicationAutoScaling::ScalableTarget", {
        "ScalableDimension": "dynamodb:index:WriteCapacityUnits", "MinCapacity": 1, "MaxCapacity": 20})


def test_min_above_max_names_the_path_and_the_prop():
    stack = stack_in(cdk.App(), "Errors")
    with pytest.raises(RuntimeError, match=re.escape(
            "SecureTable 'Errors/Bad': billing.readCapacity.minCapacity (9) is greater than billing.readCapacity.maxCapacity (3)")):
        SecureTable(stack, "Bad", partition_key=ORDER_ID, billing=TableBilling.provisioned(
            read_capacity=TableCapacityOptions(max_capacity=3, min_capacity=9), write_capacity=TableCapacityOptions(max_capacity=3)))
