"""ServerlessDatabase from Python: number and Duration props, an rds engine version, the alarm struct,
a function in the database's VPC granted IAM authentication, a Data API grant, the rds.Endpoint and
ec2.Connections it exposes, and a value the constructor rejects."""
import re

import aws_cdk as cdk
import pytest
from aws_cdk import aws_ec2 as ec2, aws_rds as rds
from aws_cdk.assertions import Match, Template

from cdk_bulwark import (SecureFunction, ServerlessDatabase, ServerlessDatabaseAlarmsProps, ServerlessDatabaseProps,
                         ThresholdAlarmOptions)

from conftest import checked_stack, function, inline_code, stack_in


@pytest.fixture(scope="module")
def built():
    b = checked_stack("Databases")
    b.db = ServerlessDatabase(b.stack, "Orders", engine_version=rds.AuroraPostgresEngineVersion.VER_17_5,
                              max_capacity=4, auto_pause_after=cdk.Duration.minutes(10), default_database_name="orders",
                              enable_data_api=True, backup_retention=cdk.Duration.days(14),
                              alarms=ServerlessDatabaseAlarmsProps(cpu_utilization=ThresholdAlarmOptions(threshold=75),
                                                                   free_local_storage=ThresholdAlarmOptions(enabled=False)))
    b.api = SecureFunction(b.stack, "Api", code=inline_code(), handler="index.handler", vpc=b.db.vpc)
    b.connect = b.db.grant_connect(b.api, "orders_app")
    b.data = b.db.grant_data_api_access(function(b.stack, "Report"))
    b.app.synth()
    b.template = Template.from_stack(b.stack)
    return b


def test_synthesizes_a_compliant_cluster_that_scales_to_zero(built):
    """Synthesized with the STANDARD packs registered: a finding would have failed synthesis."""
    built.template.has_resource_properties("AWS::RDS::DBCluster", {
        "EngineVersion": "17.5", "DatabaseName": "orders", "BackupRetentionPeriod": 14, "EnableHttpEndpoint": True,
        "ManageMasterUserPassword": True, "EnableIAMDatabaseAuthentication": True, "StorageEncrypted": True,
        "ServerlessV2ScalingConfiguration": {"MinCapacity": 0, "MaxCapacity": 4, "SecondsUntilAutoPause": 600}})
    built.template.has_resource_properties("AWS::EC2::SecurityGroupIngress", {"FromPort": 5432, "SourceSecurityGroupId": Match.any_value()})
    built.template.has_resource_properties("AWS::CloudWatch::Alarm", {"MetricName": "CPUUtilization", "Threshold": 75})


def test_types_cross_the_boundary(built):
    assert isinstance(built.db.cluster, rds.DatabaseCluster)
    assert isinstance(built.db.connections, ec2.Connections)
    assert isinstance(built.db.cluster_endpoint, rds.Endpoint)
    assert built.db.cluster_read_endpoint is not None
    assert built.db.secret.secret_arn
    assert built.db.log_group is not None
    assert built.db.key is None and built.db.monitoring_role is None
    assert built.connect.success and built.data.success
    assert [a.node.id for a in built.db.alarms] == [
        "CpuUtilizationAlarm", "AcuUtilizationAlarm", "DatabaseConnectionsAlarm", "FreeableMemoryAlarm"]
    assert built.db.metric_capacity().metric_name == "ServerlessDatabaseCapacity"
    assert built.db.metric_cpu_utilization().metric_name == "CPUUtilization"
    assert built.db.metric_acu_utilization().metric_name == "ACUUtilization"
    assert built.db.metric_database_connections().metric_name == "DatabaseConnections"
    assert built.db.cluster_arn and built.db.cluster_identifier
    assert ServerlessDatabaseProps(max_capacity=8).max_capacity == 8


def test_a_minimum_above_the_maximum_names_the_path_and_the_prop():
    stack = stack_in(cdk.App(), "Errors")
    with pytest.raises(RuntimeError, match=re.escape("ServerlessDatabase 'Errors/Bad': minCapacity is 8; it is above maxCapacity (4)")):
        ServerlessDatabase(stack, "Bad", min_capacity=8, max_capacity=4)
