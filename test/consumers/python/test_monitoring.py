"""Monitoring from Python: an email list, an aws-cdk-lib alarm added, variadic widgets, the static
``Monitoring.of``, a getter that returns a struct, and ``IMonitoring`` both ways: a Monitoring passed
to a construct, and one implemented in Python that the library calls back."""
import aws_cdk as cdk
import jsii
import pytest
from aws_cdk import aws_cloudwatch as cloudwatch
from aws_cdk import aws_sns as sns
from aws_cdk.assertions import Template
from constructs import Construct

from cdk_bulwark import IMonitoring, Monitoring, MonitoringAlarmsProps, SecureTopic, ThresholdAlarmOptions

from conftest import checked_stack, function, stack_in


@pytest.fixture(scope="module")
def built():
    b = checked_stack("Monitored")
    b.monitoring = Monitoring(b.stack, "Monitoring", email_addresses=["oncall@example.com"], dashboard_enabled=True,
                              alarms=MonitoringAlarmsProps(subscription_dead_letter_queue=ThresholdAlarmOptions(threshold=1)))
    b.monitoring.add_email_subscription("team@example.com")
    b.fn = function(b.stack, "Api")
    b.latency = cloudwatch.Alarm(b.stack, "Latency", metric=b.fn.metric_duration(statistic="p90"), threshold=1000,
                                 evaluation_periods=3, treat_missing_data=cloudwatch.TreatMissingData.NOT_BREACHING)
    b.monitoring.add_alarm(b.latency)
    b.monitoring.add_section("Business", cloudwatch.TextWidget(markdown="Orders per minute", width=12),
                             cloudwatch.GraphWidget(title="Invocations", left=[b.fn.metric_invocations()], width=12))
    b.app.synth()
    b.template = Template.from_stack(b.stack)
    return b


def test_synthesizes_an_emailed_alarm_topic_and_a_dashboard_with_no_finding(built):
    """Synthesized with the STANDARD packs registered: a finding would have failed synthesis."""
    built.template.resource_count_is("AWS::SNS::Subscription", 2)
    built.template.resource_count_is("AWS::CloudWatch::Dashboard", 1)


def test_methods_statics_and_getters(built):
    monitoring = built.monitoring
    assert Monitoring.of(built.fn).node.path == monitoring.node.path == "Monitored/Monitoring"
    assert built.latency.node.path in {a.node.path for a in monitoring.alarms}
    assert {a.node.path for a in built.fn.alarms} <= {a.node.path for a in monitoring.alarms}
    assert isinstance(monitoring.alarm_topic, sns.Topic)
    assert monitoring.alarm_options.subscription_dead_letter_queue.threshold == 1


@jsii.implements(IMonitoring)
class TeamMonitoring(Construct):
    """A user's own IMonitoring: the library calls add_alarm and add_section back into Python."""

    def __init__(self, scope, construct_id):
        super().__init__(scope, construct_id)
        self.topic = sns.Topic(self, "Topic")
        self.received = []
        self.sections = []

    @property
    def alarm_topic(self):
        return self.topic

    @property
    def alarms(self):
        return list(self.received)

    def add_alarm(self, alarm):
        self.received.append(alarm)

    def add_section(self, title, *widgets):
        self.sections.append((title, len(widgets)))


def test_an_imonitoring_implemented_in_python_receives_the_alarms():
    stack = stack_in(cdk.App(), "Team")
    team = TeamMonitoring(stack, "Team")
    topic = SecureTopic(stack, "Orders", monitoring=team)
    assert topic.alarms and [a.node.path for a in team.received] == [a.node.path for a in topic.alarms]
    assert team.sections and team.sections[0][1] > 0
