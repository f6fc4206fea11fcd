"""EventHub from Python: routes to a QueueWorker (through ``worker.queue``), a SecureFunction and a
SecureTopic, schedules on a rate and a cron expression, a partner account that may publish, and a
SecureFunction granted to put events; in STANDARD and REGULATED.

One app per profile (the profile set as the app's default, ``ComplianceChecks.enable`` on, so
synthesis itself fails on any finding), built and synthesized once; the tests read the templates
and run the profile's cdk-nag packs again. Event patterns are aws-cdk-lib's own
``events.EventPattern`` structs and schedules its ``scheduler.ScheduleExpression``, passed through
to the library.
"""
import json
import re

import aws_cdk as cdk
import pytest
from aws_cdk import Duration
from aws_cdk import aws_events as events
from aws_cdk import aws_iam as iam
from aws_cdk import aws_scheduler as scheduler
from aws_cdk.assertions import Match, Template

import cdk_nag
from cdk_bulwark import (
    ComplianceChecks,
    CompliancePolicy,
    ComplianceProfile,
    EventHub,
    HubTarget,
    HubTargetKind,
    Monitoring,
    QueueWorker,
    SecureFunction,
    SecureTopic,
)

from conftest import ACCOUNT, actions_on, inline_code, nag_violations, resource_of, stack_in, statements_of

PARTNER_ACCOUNT = "210987654321"
NINETY_DAYS = 90
FOURTEEN_DAYS = 1209600
DEFAULT_RETRY = {"MaximumRetryAttempts": 185, "MaximumEventAgeInSeconds": 86400}
HANDLER = {"code": inline_code(), "handler": "index.handler"}
PROFILES = [ComplianceProfile.STANDARD, ComplianceProfile.REGULATED]


def build(profile: ComplianceProfile) -> dict:
    prefix = "Standard" if profile == ComplianceProfile.STANDARD else "Regulated"
    app = cdk.App()
    CompliancePolicy.set_default_profile(app, profile)
    packs = ComplianceChecks.enable(app)

    stack = stack_in(app, f"{prefix}Events")
    Monitoring(stack, "Monitoring", email_addresses=["oncall@example.com"])
    billing = QueueWorker(stack, "Billing", handler_props=HANDLER)
    audit = SecureFunction(stack, "Audit", code=inline_code(), handler="index.handler")
    notifications = SecureTopic(stack, "Notifications", display_name="Customer notifications")
    reconciler = SecureFunction(stack, "Reconciler", code=inline_code(), handler="index.handler")
    producer = SecureFunction(stack, "Producer", code=inline_code(), handler="index.handler")

    hub = EventHub(stack, "Orders", publisher_account_ids=[PARTNER_ACCOUNT], archive_retention=Duration.days(NINETY_DAYS))
    paid = hub.add_route(
        "Paid",
        event_pattern=events.EventPattern(source=["shop.orders"], detail_type=["OrderPaid"]),
        targets=[HubTarget.queue(billing.queue)],
    )
    refunded = hub.add_route(
        "Refunded",
        event_pattern=events.EventPattern(source=["shop.orders"], detail={"status": ["REFUNDED"], "total": [{"numeric": [">", 100]}]}),
        targets=[HubTarget.lambda_function(audit.lambda_function)],
        retry_attempts=10,
        max_event_age=Duration.hours(2),
        description="Large refunds, for the audit trail",
    )
    shipped = hub.add_route(
        "Shipped",
        event_pattern=events.EventPattern(source=events.Match.prefix("shop.shipping"), detail_type=["OrderShipped"]),
        targets=[HubTarget.topic(notifications.topic)],
        separate_dead_letter_queue=True,
    )
    reconcile = hub.add_schedule(
        "Reconcile",
        schedule=scheduler.ScheduleExpression.rate(Duration.minutes(5)),
        target=HubTarget.lambda_function(reconciler.lambda_function),
    )
    close_day = hub.add_schedule(
        "CloseDay",
        schedule=scheduler.ScheduleExpression.cron(minute="0", hour="2"),
        target=HubTarget.queue(billing.queue),
        input=scheduler.ScheduleTargetInput.from_object({"job": "close-day"}),
        retry_attempts=3,
    )
    grant = hub.grant_put_events(producer)

    app.synth()  # runs the profile's packs: any finding raises here
    return {
        "profile": profile, "app": app, "packs": packs, "stack": stack, "hub": hub,
        "billing": billing, "audit": audit, "notifications": notifications, "reconciler": reconciler, "producer": producer,
        "paid": paid, "refunded": refunded, "shipped": shipped, "reconcile": reconcile, "close_day": close_day,
        "grant": grant, "template": Template.from_stack(stack),
    }


@pytest.fixture(scope="module", params=PROFILES, ids=lambda p: p.name)
def system(request):
    return build(request.param)


# --- The bus, its archive and its dead-letter queue ------------------------------------------

def test_bus_sends_what_it_cannot_process_to_the_hubs_dead_letter_queue(system):
    t, stack, hub = system["template"], system["stack"], system["hub"]
    regulated = system["profile"] == ComplianceProfile.REGULATED
    assert hub.compliance_profile == system["profile"]
    assert isinstance(hub.event_bus, events.EventBus)
    t.resource_count_is("AWS::Events::EventBus", 1)
    bus = resource_of(t, stack, hub.event_bus)["Properties"]
    assert re.fullmatch(rf"{stack.stack_name}Orders[0-9A-F]{{8}}", bus["Name"])  # named after the construct path
    assert bus["DeadLetterConfig"] == {"Arn": stack.resolve(hub.dead_letter_queue.queue_arn)}
    if regulated:
        assert hub.key is not None
        assert bus["KmsKeyIdentifier"] == stack.resolve(hub.key.key_arn)
    else:
        assert hub.key is None
        assert "KmsKeyIdentifier" not in bus


def test_archive_keeps_every_event_for_the_given_retention(system):
    t, stack, hub = system["template"], system["stack"], system["hub"]
    assert hub.archive is not None
    t.resource_count_is("AWS::Events::Archive", 1)
    t.has_resource_properties("AWS::Events::Archive", {
        "SourceArn": stack.resolve(hub.event_bus.event_bus_arn),
        "RetentionDays": NINETY_DAYS,
        "EventPattern": Match.absent(),
        "KmsKeyIdentifier": stack.resolve(hub.key.key_arn) if hub.key else Match.absent(),
    })


def test_dead_letter_queues_are_retained_and_encrypted_for_the_profile(system):
    t, stack, hub = system["template"], system["stack"], system["hub"]
    for queue in (hub.dead_letter_queue, system["shipped"].dead_letter_queue):
        resource = resource_of(t, stack, queue)
        assert resource["DeletionPolicy"] == "Retain"
        assert resource["Properties"]["MessageRetentionPeriod"] == FOURTEEN_DAYS
        assert "FifoQueue" not in resource["Properties"]
        if hub.key:
            assert resource["Properties"]["KmsMasterKeyId"] == stack.resolve(hub.key.key_arn)
        else:
            assert resource["Properties"]["SqsManagedSseEnabled"] is True
            assert "KmsMasterKeyId" not in resource["Properties"]


def test_bus_policy_names_the_partner_account_and_never_everyone(system):
    t, stack, hub = system["template"], system["stack"], system["hub"]
    t.resource_count_is("AWS::Events::EventBusPolicy", 1)
    t.has_resource_properties("AWS::Events::EventBusPolicy", {
        "EventBusName": stack.resolve(hub.event_bus.event_bus_name),
        "Statement": {
            "Effect": "Allow",
            "Action": "events:PutEvents",
            "Resource": stack.resolve(hub.event_bus.event_bus_arn),
            "Principal": {"AWS": {"Fn::Join": ["", ["arn:", {"Ref": "AWS::Partition"}, f":iam::{PARTNER_ACCOUNT}:root"]]}},
        },
    })
    policy = json.dumps(list(t.find_resources("AWS::Events::EventBusPolicy").values()))
    assert '"*"' not in policy


# --- Routes ----------------------------------------------------------------------------------

def test_targets_know_their_kind():
    stack = stack_in(cdk.App(), "Kinds")
    worker = QueueWorker(stack, "Worker", handler_props=HANDLER)
    assert HubTarget.queue(worker.queue).kind == HubTargetKind.QUEUE
    assert HubTarget.lambda_function(worker.handler).kind == HubTargetKind.LAMBDA_FUNCTION


def test_route_to_a_queue_worker_has_the_hubs_dead_letter_queue_and_retry_policy(system):
    t, stack, hub = system["template"], system["stack"], system["hub"]
    paid, queue = system["paid"], system["billing"].queue
    assert paid.node.path == f"{stack.stack_name}/Orders/Routes/Paid"
    assert paid.dead_letter_queue.node.path == hub.dead_letter_queue.node.path
    assert paid.role is None
    rule = resource_of(t, stack, paid.rule)["Properties"]
    assert rule["EventBusName"] == stack.resolve(hub.event_bus.event_bus_name)
    assert rule["EventPattern"] == {"source": ["shop.orders"], "detail-type": ["OrderPaid"]}
    assert rule["State"] == "ENABLED"
    assert len(rule["Targets"]) == 1
    target = rule["Targets"][0]
    assert target["Arn"] == stack.resolve(queue.queue_arn)
    assert target["DeadLetterConfig"] == {"Arn": stack.resolve(hub.dead_letter_queue.queue_arn)}
    assert target["RetryPolicy"] == DEFAULT_RETRY
    # The worker's queue lets exactly this rule send.
    t.has_resource_properties("AWS::SQS::QueuePolicy", {
        "Queues": [stack.resolve(queue.queue_url)],
        "PolicyDocument": {"Statement": Match.array_with([Match.object_like({
            "Effect": "Allow",
            "Action": "sqs:SendMessage",
            "Principal": {"Service": "events.amazonaws.com"},
            "Resource": stack.resolve(queue.queue_arn),
            "Condition": {"ArnEquals": {"aws:SourceArn": stack.resolve(paid.rule.rule_arn)}},
        })])},
    })


def test_route_to_a_secure_function_with_its_own_retry_policy(system):
    t, stack, hub = system["template"], system["stack"], system["hub"]
    refunded, fn = system["refunded"], system["audit"].lambda_function
    rule = resource_of(t, stack, refunded.rule)["Properties"]
    assert rule["Description"] == "Large refunds, for the audit trail"
    assert rule["EventPattern"] == {"source": ["shop.orders"], "detail": {"status": ["REFUNDED"], "total": [{"numeric": [">", 100]}]}}
    [target] = rule["Targets"]
    assert target["Arn"] == stack.resolve(fn.function_arn)
    assert target["DeadLetterConfig"] == {"Arn": stack.resolve(hub.dead_letter_queue.queue_arn)}
    assert target["RetryPolicy"] == {"MaximumRetryAttempts": 10, "MaximumEventAgeInSeconds": 7200}
    t.has_resource_properties("AWS::Lambda::Permission", {
        "Action": "lambda:InvokeFunction",
        "FunctionName": stack.resolve(fn.function_arn),
        "Principal": "events.amazonaws.com",
        "SourceArn": stack.resolve(refunded.rule.rule_arn),
    })


def test_route_to_a_secure_topic_has_a_dead_letter_queue_of_its_own(system):
    t, stack, hub = system["template"], system["stack"], system["hub"]
    shipped, topic = system["shipped"], system["notifications"].topic
    assert shipped.dead_letter_queue.node.path == f"{stack.stack_name}/Orders/Routes/Shipped/DeadLetterQueue"
    rule = resource_of(t, stack, shipped.rule)["Properties"]
    assert rule["EventPattern"] == {"source": [{"prefix": "shop.shipping"}], "detail-type": ["OrderShipped"]}
    [target] = rule["Targets"]
    assert target["Arn"] == stack.resolve(topic.topic_arn)
    assert target["DeadLetterConfig"] == {"Arn": stack.resolve(shipped.dead_letter_queue.queue_arn)}
    assert target["DeadLetterConfig"] != {"Arn": stack.resolve(hub.dead_letter_queue.queue_arn)}
    assert target["RetryPolicy"] == DEFAULT_RETRY
    t.has_resource_properties("AWS::SNS::TopicPolicy", {
        "Topics": [stack.resolve(topic.topic_arn)],
        "PolicyDocument": {"Statement": Match.array_with([Match.object_like({
            "Effect": "Allow",
            "Action": "sns:Publish",
            "Principal": {"Service": "events.amazonaws.com"},
            "Resource": stack.resolve(topic.topic_arn),
            "Condition": {"ArnEquals": {"aws:SourceArn": stack.resolve(shipped.rule.rule_arn)}},
        })])},
    })


def test_every_rule_target_has_a_dead_letter_queue_and_a_retry_policy(system):
    t = system["template"]
    rules = t.find_resources("AWS::Events::Rule")
    assert len(rules) == 3
    for rule in rules.values():
        for target in rule["Properties"]["Targets"]:
            assert "Arn" in target["DeadLetterConfig"]
            assert set(target["RetryPolicy"]) == {"MaximumRetryAttempts", "MaximumEventAgeInSeconds"}


# --- Schedules -------------------------------------------------------------------------------

def test_rate_schedule_invokes_the_function_with_a_dead_letter_queue_and_retry_policy(system):
    t, stack, hub = system["template"], system["stack"], system["hub"]
    reconcile, fn = system["reconcile"], system["reconciler"].lambda_function
    assert hub.schedule_group is not None
    assert [s.node.id for s in hub.schedules] == ["Reconcile", "CloseDay"]
    schedule = resource_of(t, stack, reconcile.schedule)["Properties"]
    assert schedule["ScheduleExpression"] == "rate(5 minutes)"
    assert schedule["GroupName"] == stack.resolve(hub.schedule_group.schedule_group_name)
    assert schedule["FlexibleTimeWindow"] == {"Mode": "OFF"}
    assert schedule["State"] == "ENABLED"
    assert schedule["Target"]["Arn"] == stack.resolve(fn.function_arn)
    assert schedule["Target"]["RoleArn"] == stack.resolve(reconcile.role.role_arn)
    assert schedule["Target"]["DeadLetterConfig"] == {"Arn": stack.resolve(hub.dead_letter_queue.queue_arn)}
    assert schedule["Target"]["RetryPolicy"] == DEFAULT_RETRY
    if hub.key:
        assert schedule["KmsKeyArn"] == stack.resolve(hub.key.key_arn)
    else:
        assert "KmsKeyArn" not in schedule
    # The role may invoke exactly this function and write its dead letters.
    statements = statements_of(t, stack, reconcile.role)
    assert actions_on(statements, stack.resolve(fn.function_arn)) == ["lambda:InvokeFunction"]
    assert actions_on(statements, stack.resolve(hub.dead_letter_queue.queue_arn)) == ["sqs:SendMessage"]
    assert resource_of(t, stack, reconcile.role)["Properties"]["AssumeRolePolicyDocument"]["Statement"] == [{
        "Action": "sts:AssumeRole",
        "Effect": "Allow",
        "Principal": {"Service": "scheduler.amazonaws.com"},
        "Condition": {"StringEquals": {"aws:SourceAccount": ACCOUNT}},
    }]


def test_cron_schedule_sends_its_input_to_the_queue_worker(system):
    t, stack, hub = system["template"], system["stack"], system["hub"]
    close_day, queue = system["close_day"], system["billing"].queue
    t.has_resource_properties("AWS::Scheduler::Schedule", {
        "ScheduleExpression": "cron(0 2 * * ? *)",
        "Target": {
            "Arn": stack.resolve(queue.queue_arn),
            "RoleArn": stack.resolve(close_day.role.role_arn),
            "Input": '{"job":"close-day"}',
            "DeadLetterConfig": {"Arn": stack.resolve(hub.dead_letter_queue.queue_arn)},
            "RetryPolicy": {"MaximumRetryAttempts": 3, "MaximumEventAgeInSeconds": 86400},
        },
    })
    statements = statements_of(t, stack, close_day.role)
    assert actions_on(statements, stack.resolve(queue.queue_arn)) == ["sqs:SendMessage"]


# --- Publishers ------------------------------------------------------------------------------

def test_grant_put_events_to_a_secure_function(system):
    t, stack, hub, grant = system["template"], system["stack"], system["hub"], system["grant"]
    assert isinstance(grant, iam.Grant)
    assert grant.success
    put_events = {"Action": "events:PutEvents", "Effect": "Allow", "Resource": stack.resolve(hub.event_bus.event_bus_arn)}
    # Exactly one statement, also with the REGULATED bus key: publishers need no key permission.
    assert [stack.resolve(s.to_statement_json()) for s in grant.principal_statements] == [put_events]
    statements = statements_of(t, stack, system["producer"].role)
    assert put_events in statements
    assert actions_on(statements, stack.resolve(hub.event_bus.event_bus_arn)) == ["events:PutEvents"]


# --- Alarms ----------------------------------------------------------------------------------

def test_alarms_go_to_the_stacks_monitoring(system):
    t, stack, hub = system["template"], system["stack"], system["hub"]
    # hub dead-letter queue, 3 per route, the Shipped route's own dead-letter queue, 2 for the schedule group
    assert len(hub.alarms) == 1 + 3 * 3 + 1 + 2
    assert len(system["shipped"].alarms) == 4
    registered = {alarm.node.path for alarm in Monitoring.of(stack).alarms}
    assert {alarm.node.path for alarm in hub.alarms} <= registered
    for metric in ("FailedInvocations", "InvocationsSentToDlq", "InvocationsFailedToBeSentToDlq"):
        t.has_resource_properties("AWS::CloudWatch::Alarm", {
            "Namespace": "AWS/Events",
            "MetricName": metric,
            "Dimensions": Match.array_with([
                {"Name": "EventBusName", "Value": stack.resolve(hub.event_bus.event_bus_name)},
                # Metrics of a rule on a custom bus name the rule itself: the part after "|" of its Ref.
                {"Name": "RuleName", "Value": {"Fn::Select": [1, {"Fn::Split": ["|", stack.resolve(system["paid"].rule.rule_name)]}]}},
            ]),
            "Threshold": 0,
        })
    t.has_resource_properties("AWS::CloudWatch::Alarm", {
        "MetricName": "ApproximateNumberOfMessagesVisible",
        "Dimensions": [{"Name": "QueueName", "Value": stack.resolve(hub.dead_letter_queue.queue_name)}],
        "Threshold": 0,
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

@pytest.fixture
def errors():
    """A fresh stack per test, with a function to target."""
    stack = stack_in(cdk.App(), "Errors")
    fn = SecureFunction(stack, "Audit", code=inline_code(), handler="index.handler")
    return stack, fn


def test_an_empty_event_pattern_is_refused(errors):
    stack, fn = errors
    hub = EventHub(stack, "Hub")
    with pytest.raises(RuntimeError, match=re.escape(
            "EventHub 'Errors/Hub': route 'All' eventPattern is {}; an empty pattern matches no event and EventBridge rejects it; "
            "give at least one field (source, detailType, detail, ...)")):
        hub.add_route("All", event_pattern=events.EventPattern(), targets=[HubTarget.lambda_function(fn.lambda_function)])
    assert hub.routes == []


def test_an_invalid_schedule_expression_is_refused(errors):
    stack, fn = errors
    hub = EventHub(stack, "Hub")
    with pytest.raises(RuntimeError, match=re.escape(
            "EventHub 'Errors/Hub': schedule 'Tick' schedule is 'rate(5 minute)'; write the unit plural above 1 (rate(5 minutes))")):
        hub.add_schedule("Tick", schedule=scheduler.ScheduleExpression.expression("rate(5 minute)"),
                         target=HubTarget.lambda_function(fn.lambda_function))
    with pytest.raises(RuntimeError, match=re.escape(
            "EventHub 'Errors/Hub': schedule 'Tick' schedule is 'cron(0 8 * * *)'; a cron expression has six fields "
            "(minutes hours day-of-month month day-of-week year), this one 5, e.g. cron(0 8 * * ? *)")):
        hub.add_schedule("Tick", schedule=scheduler.ScheduleExpression.expression("cron(0 8 * * *)"),
                         target=HubTarget.lambda_function(fn.lambda_function))
    assert hub.schedules == []
    assert hub.schedule_group is None


def test_a_publisher_account_that_is_not_an_account_id_is_refused(errors):
    stack, _ = errors
    with pytest.raises(RuntimeError, match=re.escape(
            "EventHub 'Errors/Hub': publisherAccountIds[0] is '*'; an AWS account id is 12 digits "
            "(never '*': the bus policy names each publisher account)")):
        EventHub(stack, "Hub", publisher_account_ids=["*"])
    with pytest.raises(RuntimeError, match=re.escape(
            "EventHub 'Errors/Other': publisherAccountIds[1] is '12345'; an AWS account id is 12 digits")):
        EventHub(stack, "Other", publisher_account_ids=[PARTNER_ACCOUNT, "12345"])
