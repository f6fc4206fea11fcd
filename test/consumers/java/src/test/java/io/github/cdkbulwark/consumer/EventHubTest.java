package io.github.cdkbulwark.consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import io.github.cdkbulwark.EventHub;
import io.github.cdkbulwark.EventHubAlarmsProps;
import io.github.cdkbulwark.HubQueueTargetOptions;
import io.github.cdkbulwark.HubRouteOptions;
import io.github.cdkbulwark.HubRouteProps;
import io.github.cdkbulwark.HubScheduleOptions;
import io.github.cdkbulwark.HubTarget;
import io.github.cdkbulwark.HubTargetKind;
import io.github.cdkbulwark.IHubRoute;
import io.github.cdkbulwark.IHubSchedule;
import io.github.cdkbulwark.QueueWorker;
import io.github.cdkbulwark.SecureTopic;
import io.github.cdkbulwark.ThresholdAlarmOptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.assertions.Template;
import software.amazon.awscdk.services.events.EventBus;
import software.amazon.awscdk.services.events.EventPattern;
import software.amazon.awscdk.services.events.Match;
import software.amazon.awscdk.services.iam.Grant;
import software.amazon.awscdk.services.scheduler.CronOptionsWithTimezone;
import software.amazon.awscdk.services.scheduler.ScheduleExpression;
import software.amazon.awscdk.services.scheduler.ScheduleTargetInput;
import software.amazon.awscdk.services.stepfunctions.StateMachine;

/**
 * EventHub from Java: routes as HubRouteProps structs inside a list and through addRoute, every
 * HubTarget factory (with HubTargetKind), aws-cdk-lib event patterns with nested detail, a schedule,
 * the IHubRoute / IHubSchedule interfaces handed back, and grantPutEvents.
 */
class EventHubTest {
    private static final Map<HubTargetKind, HubTarget> TARGETS = new EnumMap<>(HubTargetKind.class);
    private static EventHub hub;
    private static IHubRoute shipped;
    private static IHubSchedule nightly;
    private static Grant grant;
    private static Template template;

    @BeforeAll
    static void build() {
        Support.Checked checked = new Support.Checked("Events");
        Stack stack = checked.stack;
        QueueWorker billing = QueueWorker.Builder.create(stack, "Billing").handlerProps(Support.handlerProps()).build();
        QueueWorker payments = QueueWorker.Builder.create(stack, "Payments")
                .fifo(true).contentBasedDeduplication(true).handlerProps(Support.handlerProps()).build();
        TARGETS.put(HubTargetKind.QUEUE, HubTarget.queue(payments.getQueue(), HubQueueTargetOptions.builder().messageGroupId("orders").build()));
        TARGETS.put(HubTargetKind.LAMBDA_FUNCTION, HubTarget.lambdaFunction(Support.function(stack, "Audit").getLambdaFunction()));
        TARGETS.put(HubTargetKind.TOPIC, HubTarget.topic(new SecureTopic(stack, "Notifications").getTopic()));
        TARGETS.put(HubTargetKind.STATE_MACHINE, HubTarget.stateMachine(StateMachine.fromStateMachineArn(
                stack, "Fulfil", "arn:aws:states:eu-west-1:123456789012:stateMachine:fulfil")));
        TARGETS.put(HubTargetKind.EVENT_BUS, HubTarget.eventBus(EventBus.fromEventBusArn(
                stack, "Analytics", "arn:aws:events:eu-west-1:210987654321:event-bus/analytics")));
        hub = EventHub.Builder.create(stack, "Orders")
                .publisherAccountIds(List.of("210987654321"))
                .archiveRetention(Duration.days(90))
                .alarms(EventHubAlarmsProps.builder().failedInvocations(ThresholdAlarmOptions.builder().threshold(2).build()).build())
                .routes(List.of(HubRouteProps.builder()
                        .id("Paid")
                        .eventPattern(EventPattern.builder()
                                .source(List.of("shop.orders"))
                                .detail(Map.of("total", List.of(Map.of("numeric", List.of(">", 100)))))
                                .build())
                        .targets(List.of(HubTarget.queue(billing.getQueue()), TARGETS.get(HubTargetKind.QUEUE),
                                TARGETS.get(HubTargetKind.LAMBDA_FUNCTION)))
                        .build()))
                .build();
        shipped = hub.addRoute("Shipped", HubRouteOptions.builder()
                .eventPattern(EventPattern.builder().source(Match.prefix("shop.shipping")).build())
                .targets(List.of(TARGETS.get(HubTargetKind.TOPIC), TARGETS.get(HubTargetKind.STATE_MACHINE),
                        TARGETS.get(HubTargetKind.EVENT_BUS)))
                .separateDeadLetterQueue(true)
                .build());
        nightly = hub.addSchedule("Nightly", HubScheduleOptions.builder()
                .schedule(ScheduleExpression.cron(CronOptionsWithTimezone.builder().minute("0").hour("2").build()))
                .target(HubTarget.queue(billing.getQueue()))
                .input(ScheduleTargetInput.fromObject(Map.of("job", "close-day")))
                .build());
        grant = hub.grantPutEvents(Support.function(stack, "Producer"));
        template = checked.synth();
    }

    /** Synthesized with the STANDARD packs registered: a finding would have failed synthesis. */
    @Test
    @SuppressWarnings("unchecked")
    void synthesizesRulesWhoseTargetsAllHaveDeadLetterQueuesAndNoFinding() {
        List<Map<String, Object>> targets = template.findResources("AWS::Events::Rule").values().stream()
                .flatMap(rule -> ((List<Map<String, Object>>) ((Map<String, Object>) rule.get("Properties")).get("Targets")).stream())
                .collect(Collectors.toList());
        assertEquals(6, targets.size());
        assertTrue(targets.stream().allMatch(target -> target.containsKey("DeadLetterConfig")));
    }

    @Test
    void targetsRoutesAndSchedules() {
        TARGETS.forEach((kind, target) -> assertEquals(kind, target.getKind()));
        assertEquals(List.of("Paid", "Shipped"), hub.getRoutes().stream().map(r -> r.getNode().getId()).collect(Collectors.toList()));
        assertEquals("Events/Orders/Routes/Shipped/DeadLetterQueue", shipped.getDeadLetterQueue().getNode().getPath());
        assertNotNull(shipped.getRole()); // for the state machine and event bus targets
        assertEquals(List.of(nightly.getNode().getPath()), hub.getSchedules().stream().map(s -> s.getNode().getPath()).collect(Collectors.toList()));
        assertNotNull(nightly.getRole());
        assertTrue(grant.getSuccess());
    }
}
