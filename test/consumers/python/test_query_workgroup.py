"""QueryWorkgroup from Python: Size and Duration props, a table over a SecureBucket prefix with QueryColumn
structs in a list and the QueryDataFormat enum, grant_query to a function, the alarm struct, and a value the
constructor rejects."""
import re

import aws_cdk as cdk
import pytest
from aws_cdk import aws_glue as glue
from aws_cdk.assertions import Match, Template

from cdk_bulwark import (QueryColumn, QueryDataFormat, QueryTableOptions, QueryWorkgroup, QueryWorkgroupAlarmsProps, QueryWorkgroupProps,
                         SecureBucket, ThresholdAlarmOptions)

from conftest import checked_stack, function, stack_in


@pytest.fixture(scope="module")
def built():
    b = checked_stack("Queries")
    b.sales = sales = SecureBucket(b.stack, "Sales")
    b.reporting = QueryWorkgroup(b.stack, "Reporting", database_name="sales", bytes_scanned_cutoff_per_query=cdk.Size.gibibytes(1),
                                 results_expiration=cdk.Duration.days(7),
                                 alarms=QueryWorkgroupAlarmsProps(processed_bytes=ThresholdAlarmOptions(threshold=1e11)))
    b.table = b.reporting.add_table("Orders", bucket=sales, prefix="orders/", format=QueryDataFormat.PARQUET,
                                    columns=[QueryColumn(name="order_id", data_type="string"), QueryColumn(name="total", data_type="decimal(10,2)")])
    b.grant = b.reporting.grant_query(function(b.stack, "Report"))
    b.app.synth()
    b.template = Template.from_stack(b.stack)
    return b


def test_synthesizes_an_enforced_workgroup_and_a_table(built):
    """Synthesized with the STANDARD packs registered: a finding would have failed synthesis."""
    built.template.has_resource_properties("AWS::Athena::WorkGroup", {"WorkGroupConfiguration": Match.object_like({
        "EnforceWorkGroupConfiguration": True, "BytesScannedCutoffPerQuery": 1024 ** 3})})
    built.template.has_resource_properties("AWS::Glue::Table", {"TableInput": Match.object_like({"Name": "orders"})})


def test_types_cross_the_boundary(built):
    assert isinstance(built.table, glue.CfnTable)
    assert built.reporting.table_names == ["orders"]
    assert built.reporting.database_name == "sales"
    assert built.grant.success
    assert [a.node.id for a in built.reporting.alarms] == ["FailedQueriesAlarm", "ProcessedBytesAlarm"]
    assert QueryTableOptions(bucket=built.sales, prefix="x/", columns=[QueryColumn(name="a", data_type="int")]).prefix == "x/"
    assert QueryWorkgroupProps(workgroup_name="reports").workgroup_name == "reports"


def test_a_cutoff_under_athenas_minimum_names_the_path_and_the_prop():
    stack = stack_in(cdk.App(), "Errors")
    with pytest.raises(RuntimeError, match=re.escape("QueryWorkgroup 'Errors/Bad': bytesScannedCutoffPerQuery")):
        QueryWorkgroup(stack, "Bad", bytes_scanned_cutoff_per_query=cdk.Size.mebibytes(1))
