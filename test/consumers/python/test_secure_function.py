"""SecureFunction from Python: keyword args with aws-cdk-lib enums and Durations, a struct of alarm
options, and getters and metric methods that hand aws-cdk-lib types back."""
import pytest
from aws_cdk import Duration
from aws_cdk import aws_cloudwatch as cloudwatch
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_logs as logs
from aws_cdk.assertions import Template

from cdk_bulwark import ComplianceProfile, FunctionAlarmsProps, SecureFunction, ThresholdAlarmOptions

from conftest import checked_stack, inline_code


@pytest.fixture(scope="module")
def built():
    b = checked_stack("Function")
    b.fn = SecureFunction(
        b.stack, "Fn", code=inline_code(), handler="index.handler",
        architecture=lambda_.Architecture.X86_64,
        application_log_level=lambda_.ApplicationLogLevel.WARN,
        log_retention=logs.RetentionDays.ONE_MONTH,
        timeout=Duration.minutes(2),
        environment={"STAGE": "prod"},
        alarms=FunctionAlarmsProps(errors=ThresholdAlarmOptions(threshold=3), throttles=ThresholdAlarmOptions(enabled=False)),
    )
    b.app.synth()
    b.template = Template.from_stack(b.stack)
    return b


def test_synthesizes_traced_with_the_given_architecture_and_no_finding(built):
    """Synthesized with the STANDARD packs registered: a finding would have failed synthesis."""
    built.template.has_resource_properties("AWS::Lambda::Function", {
        "Architectures": ["x86_64"], "TracingConfig": {"Mode": "Active"}})


def test_getters_and_metrics_return_aws_cdk_types(built):
    fn = built.fn
    assert isinstance(fn.lambda_function, lambda_.Function)
    assert fn.timeout.to_seconds() == 120
    assert fn.compliance_profile == ComplianceProfile.STANDARD
    assert len(fn.alarms) == 1  # throttles switched off through the struct
    metric = fn.metric_duration(statistic="p99", period=Duration.minutes(1))
    assert isinstance(metric, cloudwatch.Metric)
    assert (metric.metric_name, metric.period.to_seconds()) == ("Duration", 60)
