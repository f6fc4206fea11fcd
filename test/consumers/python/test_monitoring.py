"""Monitoring from Python: email subscriptions, your own alarms and dashboard sections, the
no-subscribers warning, and Monitoring.of() finding the stack's instance."""
import aws_cdk as cdk
import pytest
from aws_cdk import Duration
from aws_cdk import aws_cloudwatch as cloudwatch
from aws_cdk import aws_sns as sns
from aws_cdk.assertions import Annotations, Match, Template

from cdk_bulwark import ComplianceChecks, ComplianceProfile, Monitoring, QueueWorker, SecureFunction

from conftest import inline_code, nag_violations, stack_in


@pytest.fixture(scope="module")
def monitored():
    app = cdk.App()
    ComplianceChecks.enable(app)
    stack = stack_in(app, "Monitored")
    monitoring = Monitoring(stack, "Monitoring", email_addresses=["oncall@example.com"], dashboard_enabled=True)
    monitoring.add_email_subscription("team@example.com")
    fn = SecureFunction(stack, "Api", code=inline_code(), handler="index.handler")
    latency = cloudwatch.Alarm(stack, "LatencyAlarm", metric=fn.metric_duration(statistic="p90"), threshold=1000,
                               evaluation_periods=3, treat_missing_data=cloudwatch.TreatMissingData.NOT_BREACHING,
                               alarm_description="p90 duration above 1 s: check the function's traces.")
    monitoring.add_alarm(latency)
    # Variadic widgets, as *args.
    monitoring.add_section("Business", cloudwatch.TextWidget(markdown="Orders per minute", width=12),
                           cloudwatch.GraphWidget(title="Invocations", left=[fn.metric_invocations()], width=12))
    app.synth()
    return {"app": app, "stack": stack, "monitoring": monitoring, "latency": latency, "template": Template.from_stack(stack)}


def test_email_subscriptions_with_a_dead_letter_queue(monitored):
    t = monitored["template"]
    t.resource_count_is("AWS::SNS::Subscription", 2)
    for address in ("oncall@example.com", "team@example.com"):
        t.has_resource_properties("AWS::SNS::Subscription", {
            "Protocol": "email",
            "Endpoint": address,
            "RedrivePolicy": {"deadLetterTargetArn": Match.any_value()},
        })
    assert monitored["monitoring"].subscription_dead_letter_queue is not None


def test_alarm_topic_is_encrypted_and_cloudwatch_may_publish(monitored):
    t = monitored["template"]
    t.has_resource_properties("AWS::SNS::Topic", {"KmsMasterKeyId": Match.any_value()})
    t.has_resource_properties("AWS::SNS::TopicPolicy", {"PolicyDocument": {"Statement": Match.array_with([
        Match.object_like({"Principal": {"Service": "cloudwatch.amazonaws.com"}, "Action": "sns:Publish", "Effect": "Allow"}),
    ])}})
    assert isinstance(monitored["monitoring"].alarm_topic, sns.Topic)


def test_your_alarm_notifies_the_topic(monitored):
    stack, monitoring = monitored["stack"], monitored["monitoring"]
    topic_arn = stack.resolve(monitoring.alarm_topic.topic_arn)
    monitored["template"].has_resource_properties("AWS::CloudWatch::Alarm", {
        "ExtendedStatistic": "p90",
        "Threshold": 1000,
        "AlarmActions": [topic_arn],
        "OKActions": [topic_arn],
    })
    assert monitored["latency"].node.path in {a.node.path for a in monitoring.alarms}


def test_dashboard_has_your_section(monitored):
    t = monitored["template"]
    t.resource_count_is("AWS::CloudWatch::Dashboard", 1)
    body = t.find_resources("AWS::CloudWatch::Dashboard")
    rendered = str(monitored["stack"].resolve(list(body.values())[0]["Properties"]["DashboardBody"]))
    assert "## Business" in rendered and "Orders per minute" in rendered


def test_monitoring_of_finds_the_stacks_instance(monitored):
    stack, monitoring = monitored["stack"], monitored["monitoring"]
    assert Monitoring.of(stack).node.path == monitoring.node.path == "Monitored/Monitoring"
    assert Monitoring.of(monitored["latency"]).node.path == "Monitored/Monitoring"


def test_no_standard_findings(monitored):
    assert nag_violations(monitored["app"], ComplianceProfile.STANDARD) == []


def test_warns_when_nobody_is_subscribed():
    app = cdk.App()
    stack = stack_in(app, "Unsubscribed")
    QueueWorker(stack, "Worker", handler_props={"code": inline_code(), "handler": "index.handler"})
    Annotations.from_stack(stack).has_warning(
        "/Unsubscribed/BulwarkMonitoring", Match.string_like_regexp("Nobody is subscribed to the alarm topic"))


def test_no_dashboard():
    app = cdk.App()
    stack = stack_in(app, "Quiet")
    monitoring = Monitoring(stack, "Monitoring", dashboard_enabled=False, email_addresses=["oncall@example.com"])
    SecureFunction(stack, "Fn", code=inline_code(), handler="index.handler", timeout=Duration.seconds(5))
    assert monitoring.dashboard is None
    Template.from_stack(stack).resource_count_is("AWS::CloudWatch::Dashboard", 0)
