"""EventHub from Python: routes as ``HubRouteProps`` structs inside a list and through ``add_route``, every
``HubTarget`` factory (with ``HubTargetKind``), aws-cdk-lib event patterns with nested detail, a
schedule, the ``IHubRoute`` / ``IHubSchedule`` interfaces handed back, and ``grant_put_events``."""
import pytest
from aws_cdk import Duration
from aws_cdk import aws_events as events
from aws_cdk import aws_scheduler as scheduler
from aws_cdk import aws_stepfunctions as sfn
from aws_cdk.assertions import Template

from cdk_bulwark import (
    EventHub,
    EventHubAlarmsProps,
    HubRouteProps,
    HubTarget,
    HubTargetKind,
    IHubRoute,
    IHubSchedule,
    QueueWorker,
    SecureTopic,
    ThresholdAlarmOptions,
)

from conftest import checked_stack, function, inline_code

HANDLER = {"code": inline_code(), "handler": "index.handler"}


@pytest.fixture(scope="module")
def built():
    b = checked_stack("Events")
    stack = b.stack
    billing = QueueWorker(stack, "Billing", handler_props=HANDLER)
    payments = QueueWorker(stack, "Payments", fifo=True, content_based_deduplication=True, handler_props=HANDLER)
    audit = function(stack, "Audit")
    notifications = SecureTopic(stack, "Notifications")
    b.targets = {
        HubTargetKind.QUEUE: HubTarget.queue(payments.queue, message_group_id="orders"),
        HubTargetKind.LAMBDA_FUNCTION: HubTarget.lambda_function(audit.lambda_function),
        HubTargetKind.TOPIC: HubTarget.topic(notifications.topic),
        HubTargetKind.STATE_MACHINE: HubTarget.state_machine(sfn.StateMachine.from_state_machine_arn(
            stack, "Fulfil", "arn:aws:states:eu-west-1:123456789012:stateMachine:fulfil")),
        HubTargetKind.EVENT_BUS: HubTarget.event_bus(events.EventBus.from_event_bus_arn(
            stack, "Analytics", "arn:aws:events:eu-west-1:210987654321:event-bus/analytics")),
    }
    b.hub = EventHub(
        stack, "Orders",
        publisher_account_ids=["210987654321"],
        archive_retention=Duration.days(90),
        alarms=EventHubAlarmsProps(failed_invocations=ThresholdAlarmOptions(threshold=2)),
        routes=[HubRouteProps(
            id="Paid",
            event_pattern=events.EventPattern(source=["shop.orders"], detail={"total": [{"numeric": [">", 100]}]}),
            targets=[HubTarget.queue(billing.queue), b.targets[HubTargetKind.QUEUE], b.targets[HubTargetKind.LAMBDA_FUNCTION]],
        )],
    )
    b.shipped: IHubRoute = b.hub.add_route(
        "Shipped", event_pattern=events.EventPattern(source=events.Match.prefix("shop.shipping")),
        targets=[b.targets[k] for k in (HubTargetKind.TOPIC, HubTargetKind.STATE_MACHINE, HubTargetKind.EVENT_BUS)],
        separate_dead_letter_queue=True)
    b.nightly: IHubSchedule = b.hub.add_schedule(
        "Nightly", schedule=scheduler.ScheduleExpression.cron(minute="0", hour="2"),
        target=HubTarget.queue(billing.queue), input=scheduler.ScheduleTargetInput.from_object({"job": "close-day"}))
    b.grant = b.hub.grant_put_events(function(stack, "Producer"))
    b.app.synth()
    b.template = Template.from_stack(stack)
    return b


def test_synthesizes_rules_whose_targets_all_have_dead_letter_queues_and_no_finding(built):
    """Synthesized with the STANDARD packs registered: a finding would have failed synthesis."""
    rules = built.template.find_resources("AWS::Events::Rule")
    targets = [target for rule in rules.values() for target in rule["Properties"]["Targets"]]
    assert len(rules) == 2 and len(targets) == 6
    assert all("DeadLetterConfig" in target for target in targets)


def test_targets_routes_and_schedules(built):
    assert {kind: target.kind for kind, target in built.targets.items()} == {kind: kind for kind in built.targets}
    assert [route.node.id for route in built.hub.routes] == ["Paid", "Shipped"]
    assert built.shipped.dead_letter_queue.node.path == "Events/Orders/Routes/Shipped/DeadLetterQueue"
    assert built.shipped.role is not None  # for the state machine and event bus targets
    assert [s.node.path for s in built.hub.schedules] == [built.nightly.node.path]
    assert built.nightly.role is not None
    assert built.grant.success
