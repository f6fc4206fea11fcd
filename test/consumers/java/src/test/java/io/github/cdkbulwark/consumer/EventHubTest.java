package io.github.cdkbulwark.consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import io.github.cdkbulwark.ComplianceChecks;
import io.github.cdkbulwark.CompliancePolicy;
import io.github.cdkbulwark.ComplianceProfile;
import io.github.cdkbulwark.EventHub;
import io.github.cdkbulwark.HubRouteOptions;
import io.github.cdkbulwark.HubScheduleOptions;
import io.github.cdkbulwark.HubTarget;
import io.github.cdkbulwark.HubTargetKind;
import io.github.cdkbulwark.IHubRoute;
import io.github.cdkbulwark.IHubSchedule;
import io.github.cdkbulwark.Monitoring;
import io.github.cdkbulwark.QueueWorker;
import io.github.cdkbulwark.SecureFunction;
import io.github.cdkbulwark.SecureFunctionProps;
import io.github.cdkbulwark.SecureTopic;
import io.github.cdklabs.cdknag.NagPack;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import software.amazon.awscdk.App;
import software.amazon.awscdk.CfnElement;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;
import software.amazon.awscdk.services.cloudwatch.IAlarm;
import software.amazon.awscdk.services.events.EventPattern;
import software.amazon.awscdk.services.iam.Grant;
import software.amazon.awscdk.services.scheduler.CronOptionsWithTimezone;
import software.amazon.awscdk.services.scheduler.ScheduleExpression;
import software.amazon.awscdk.services.scheduler.ScheduleTargetInput;
import software.constructs.IConstruct;

/**
 * EventHub from Java: routes to a QueueWorker (through its queue), a SecureFunction and a
 * SecureTopic, schedules on a rate and a cron expression, a partner account that may publish, and a
 * SecureFunction granted to put events. One app per profile (the app's default profile,
 * ComplianceChecks on), synthesized once; each test runs for STANDARD and REGULATED.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EventHubTest {
    private static final String PARTNER_ACCOUNT = "210987654321";
    private static final int FOURTEEN_DAYS = 1209600;
    private static final Map<String, Object> DEFAULT_RETRY = Map.of("MaximumRetryAttempts", 185, "MaximumEventAgeInSeconds", 86400);

    /** What one profile's app holds. */
    private static final class Built {
        App app;
        List<NagPack> packs;
        Stack stack;
        EventHub hub;
        QueueWorker billing;
        SecureFunction audit;
        SecureTopic notifications;
        SecureFunction reconciler;
        SecureFunction producer;
        IHubRoute paid;
        IHubRoute refunded;
        IHubRoute shipped;
        IHubSchedule reconcile;
        IHubSchedule closeDay;
        Grant grant;
        Template template;
    }

    private final Map<ComplianceProfile, Built> built = new EnumMap<>(ComplianceProfile.class);

    private static SecureFunction function(final Stack stack, final String id) {
        return SecureFunction.Builder.create(stack, id).code(Support.inlineCode()).handler("index.handler").build();
    }

    private static Built build(final ComplianceProfile profile) {
        String prefix = profile == ComplianceProfile.STANDARD ? "Standard" : "Regulated";
        Built b = new Built();
        b.app = new App();
        CompliancePolicy.setDefaultProfile(b.app, profile);
        b.packs = ComplianceChecks.enable(b.app);

        b.stack = Support.stack(b.app, prefix + "Events");
        Monitoring.Builder.create(b.stack, "Monitoring").emailAddresses(List.of("oncall@example.com")).build();
        b.billing = QueueWorker.Builder.create(b.stack, "Billing")
                .handlerProps(SecureFunctionProps.builder().code(Support.inlineCode()).handler("index.handler").build())
                .build();
        b.audit = function(b.stack, "Audit");
        b.notifications = SecureTopic.Builder.create(b.stack, "Notifications").displayName("Customer notifications").build();
        b.reconciler = function(b.stack, "Reconciler");
        b.producer = function(b.stack, "Producer");

        b.hub = EventHub.Builder.create(b.stack, "Orders")
                .publisherAccountIds(List.of(PARTNER_ACCOUNT))
                .archiveRetention(Duration.days(90))
                .build();
        b.paid = b.hub.addRoute("Paid", HubRouteOptions.builder()
                .eventPattern(EventPattern.builder().source(List.of("shop.orders")).detailType(List.of("OrderPaid")).build())
                .targets(List.of(HubTarget.queue(b.billing.getQueue())))
                .build());
        b.refunded = b.hub.addRoute("Refunded", HubRouteOptions.builder()
                .eventPattern(EventPattern.builder()
                        .source(List.of("shop.orders"))
                        .detail(Map.of("status", List.of("REFUNDED")))
                        .build())
                .targets(List.of(HubTarget.lambdaFunction(b.audit.getLambdaFunction())))
                .retryAttempts(10)
                .maxEventAge(Duration.hours(2))
                .build());
        b.shipped = b.hub.addRoute("Shipped", HubRouteOptions.builder()
                .eventPattern(EventPattern.builder().source(List.of("shop.shipping")).detailType(List.of("OrderShipped")).build())
                .targets(List.of(HubTarget.topic(b.notifications.getTopic())))
                .separateDeadLetterQueue(true)
                .build());
        b.reconcile = b.hub.addSchedule("Reconcile", HubScheduleOptions.builder()
                .schedule(ScheduleExpression.rate(Duration.minutes(5)))
                .target(HubTarget.lambdaFunction(b.reconciler.getLambdaFunction()))
                .build());
        b.closeDay = b.hub.addSchedule("CloseDay", HubScheduleOptions.builder()
                .schedule(ScheduleExpression.cron(CronOptionsWithTimezone.builder().minute("0").hour("2").build()))
                .target(HubTarget.queue(b.billing.getQueue()))
                .input(ScheduleTargetInput.fromObject(Map.of("job", "close-day")))
                .retryAttempts(3)
                .build());
        b.grant = b.hub.grantPutEvents(b.producer);

        b.app.synth(); // runs the profile's packs: any finding fails here
        b.template = Template.fromStack(b.stack);
        return b;
    }

    @BeforeAll
    void build() {
        for (ComplianceProfile profile : List.of(ComplianceProfile.STANDARD, ComplianceProfile.REGULATED)) {
            built.put(profile, build(profile));
        }
    }

    /** The template entry of a construct (an L2's default child). */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> resourceOf(final Template template, final IConstruct construct) {
        String id = Support.logicalId(construct);
        Map<String, Object> resources = (Map<String, Object>) template.toJSON().get("Resources");
        return (Map<String, Object>) resources.get(id);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> propertiesOf(final Template template, final IConstruct construct) {
        return (Map<String, Object>) resourceOf(template, construct).get("Properties");
    }

    /** The single target of a route's rule. */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> onlyTarget(final Template template, final IHubRoute route) {
        List<Map<String, Object>> targets = (List<Map<String, Object>>) propertiesOf(template, route.getRule()).get("Targets");
        assertEquals(1, targets.size());
        return targets.get(0);
    }

    // --- The bus, its archive and its dead-letter queues ---------------------------------------

    @ParameterizedTest
    @EnumSource(ComplianceProfile.class)
    void busArchiveAndDeadLetterQueuesAreEncryptedForTheProfile(final ComplianceProfile profile) {
        Built b = built.get(profile);
        Stack stack = b.stack;
        assertEquals(profile, b.hub.getComplianceProfile());
        Object keyArn = b.hub.getKey() == null ? null : stack.resolve(b.hub.getKey().getKeyArn());
        assertEquals(profile == ComplianceProfile.REGULATED, keyArn != null);
        b.template.resourceCountIs("AWS::Events::EventBus", 1);
        Map<String, Object> bus = propertiesOf(b.template, b.hub.getEventBus());
        assertEquals(Map.of("Arn", stack.resolve(b.hub.getDeadLetterQueue().getQueueArn())), bus.get("DeadLetterConfig"));
        assertEquals(keyArn, bus.get("KmsKeyIdentifier"));
        b.template.hasResourceProperties("AWS::Events::Archive", Map.of(
                "SourceArn", stack.resolve(b.hub.getEventBus().getEventBusArn()),
                "RetentionDays", 90,
                "EventPattern", Match.absent(),
                "KmsKeyIdentifier", keyArn == null ? Match.absent() : keyArn));
        assertNotNull(b.hub.getArchive());
        for (IConstruct queue : List.of(b.hub.getDeadLetterQueue(), b.shipped.getDeadLetterQueue())) {
            Map<String, Object> resource = resourceOf(b.template, queue);
            @SuppressWarnings("unchecked")
            Map<String, Object> props = (Map<String, Object>) resource.get("Properties");
            assertEquals("Retain", resource.get("DeletionPolicy"));
            assertEquals(FOURTEEN_DAYS, ((Number) props.get("MessageRetentionPeriod")).intValue());
            assertEquals(keyArn, props.get("KmsMasterKeyId"));
            assertEquals(keyArn == null ? Boolean.TRUE : null, props.get("SqsManagedSseEnabled"));
        }
    }

    @ParameterizedTest
    @EnumSource(ComplianceProfile.class)
    void busPolicyNamesThePartnerAccount(final ComplianceProfile profile) {
        Built b = built.get(profile);
        Stack stack = b.stack;
        b.template.resourceCountIs("AWS::Events::EventBusPolicy", 1);
        b.template.hasResourceProperties("AWS::Events::EventBusPolicy", Map.of(
                "EventBusName", stack.resolve(b.hub.getEventBus().getEventBusName()),
                "Statement", Map.of(
                        "Effect", "Allow",
                        "Action", "events:PutEvents",
                        "Resource", stack.resolve(b.hub.getEventBus().getEventBusArn()),
                        "Principal", Map.of("AWS", Map.of("Fn::Join", List.of("", List.of(
                                "arn:", Map.of("Ref", "AWS::Partition"), ":iam::" + PARTNER_ACCOUNT + ":root")))))));
    }

    // --- Routes ---------------------------------------------------------------------------------

    @ParameterizedTest
    @EnumSource(ComplianceProfile.class)
    void routeToAQueueWorkerHasTheHubsDeadLetterQueueAndRetryPolicy(final ComplianceProfile profile) {
        Built b = built.get(profile);
        Stack stack = b.stack;
        assertEquals(stack.getStackName() + "/Orders/Routes/Paid", b.paid.getNode().getPath());
        assertNull(b.paid.getRole());
        Map<String, Object> rule = propertiesOf(b.template, b.paid.getRule());
        assertEquals(stack.resolve(b.hub.getEventBus().getEventBusName()), rule.get("EventBusName"));
        assertEquals(Map.of("source", List.of("shop.orders"), "detail-type", List.of("OrderPaid")), rule.get("EventPattern"));
        Map<String, Object> target = onlyTarget(b.template, b.paid);
        assertEquals(stack.resolve(b.billing.getQueue().getQueueArn()), target.get("Arn"));
        assertEquals(Map.of("Arn", stack.resolve(b.hub.getDeadLetterQueue().getQueueArn())), target.get("DeadLetterConfig"));
        assertEquals(DEFAULT_RETRY, target.get("RetryPolicy"));
        b.template.hasResourceProperties("AWS::SQS::QueuePolicy", Map.of(
                "Queues", List.of(stack.resolve(b.billing.getQueue().getQueueUrl())),
                "PolicyDocument", Map.of("Statement", Match.arrayWith(List.of(Match.objectLike(Map.of(
                        "Effect", "Allow",
                        "Action", "sqs:SendMessage",
                        "Principal", Map.of("Service", "events.amazonaws.com"),
                        "Condition", Map.of("ArnEquals", Map.of("aws:SourceArn", stack.resolve(b.paid.getRule().getRuleArn()))))))))));
    }

    @ParameterizedTest
    @EnumSource(ComplianceProfile.class)
    void routeToASecureFunctionWithItsOwnRetryPolicy(final ComplianceProfile profile) {
        Built b = built.get(profile);
        Stack stack = b.stack;
        assertEquals(Map.of("source", List.of("shop.orders"), "detail", Map.of("status", List.of("REFUNDED"))),
                propertiesOf(b.template, b.refunded.getRule()).get("EventPattern"));
        Map<String, Object> target = onlyTarget(b.template, b.refunded);
        assertEquals(stack.resolve(b.audit.getLambdaFunction().getFunctionArn()), target.get("Arn"));
        assertEquals(Map.of("Arn", stack.resolve(b.hub.getDeadLetterQueue().getQueueArn())), target.get("DeadLetterConfig"));
        assertEquals(Map.of("MaximumRetryAttempts", 10, "MaximumEventAgeInSeconds", 7200), target.get("RetryPolicy"));
        b.template.hasResourceProperties("AWS::Lambda::Permission", Map.of(
                "Action", "lambda:InvokeFunction",
                "FunctionName", stack.resolve(b.audit.getLambdaFunction().getFunctionArn()),
                "Principal", "events.amazonaws.com",
                "SourceArn", stack.resolve(b.refunded.getRule().getRuleArn())));
    }

    @ParameterizedTest
    @EnumSource(ComplianceProfile.class)
    void routeToASecureTopicHasADeadLetterQueueOfItsOwn(final ComplianceProfile profile) {
        Built b = built.get(profile);
        Stack stack = b.stack;
        Object topicArn = stack.resolve(b.notifications.getTopic().getTopicArn());
        Map<String, Object> target = onlyTarget(b.template, b.shipped);
        assertEquals(topicArn, target.get("Arn"));
        assertEquals(Map.of("Arn", stack.resolve(b.shipped.getDeadLetterQueue().getQueueArn())), target.get("DeadLetterConfig"));
        assertEquals(DEFAULT_RETRY, target.get("RetryPolicy"));
        b.template.hasResourceProperties("AWS::SNS::TopicPolicy", Map.of(
                "Topics", List.of(topicArn),
                "PolicyDocument", Map.of("Statement", Match.arrayWith(List.of(Match.objectLike(Map.of(
                        "Effect", "Allow",
                        "Action", "sns:Publish",
                        "Principal", Map.of("Service", "events.amazonaws.com"),
                        "Condition", Map.of("ArnEquals", Map.of("aws:SourceArn", stack.resolve(b.shipped.getRule().getRuleArn()))))))))));
        assertEquals(HubTargetKind.TOPIC, HubTarget.topic(b.notifications.getTopic()).getKind());
    }

    // --- Schedules ------------------------------------------------------------------------------

    @ParameterizedTest
    @EnumSource(ComplianceProfile.class)
    void rateScheduleInvokesTheFunctionWithADeadLetterQueueAndRetryPolicy(final ComplianceProfile profile) {
        Built b = built.get(profile);
        Stack stack = b.stack;
        Object functionArn = stack.resolve(b.reconciler.getLambdaFunction().getFunctionArn());
        Object dlqArn = stack.resolve(b.hub.getDeadLetterQueue().getQueueArn());
        assertNotNull(b.hub.getScheduleGroup());
        assertEquals(List.of("Reconcile", "CloseDay"),
                b.hub.getSchedules().stream().map(s -> s.getNode().getId()).collect(Collectors.toList()));
        b.template.hasResourceProperties("AWS::Scheduler::Schedule", Map.of(
                "ScheduleExpression", "rate(5 minutes)",
                "GroupName", stack.resolve(b.hub.getScheduleGroup().getScheduleGroupName()),
                "FlexibleTimeWindow", Map.of("Mode", "OFF"),
                "KmsKeyArn", b.hub.getKey() == null ? Match.absent() : stack.resolve(b.hub.getKey().getKeyArn()),
                "Target", Map.of(
                        "Arn", functionArn,
                        "RoleArn", stack.resolve(b.reconcile.getRole().getRoleArn()),
                        "DeadLetterConfig", Map.of("Arn", dlqArn),
                        "RetryPolicy", DEFAULT_RETRY)));
        Object roleRef = stack.resolve(b.reconcile.getRole().getRoleName());
        assertTrue(Support.roleHasStatement(b.template, roleRef, Map.of("Effect", "Allow", "Action", "lambda:InvokeFunction", "Resource", functionArn)));
        assertTrue(Support.roleHasStatement(b.template, roleRef, Map.of("Effect", "Allow", "Action", "sqs:SendMessage", "Resource", dlqArn)));
    }

    @ParameterizedTest
    @EnumSource(ComplianceProfile.class)
    void cronScheduleSendsItsInputToTheQueueWorker(final ComplianceProfile profile) {
        Built b = built.get(profile);
        Stack stack = b.stack;
        b.template.hasResourceProperties("AWS::Scheduler::Schedule", Map.of(
                "ScheduleExpression", "cron(0 2 * * ? *)",
                "Target", Map.of(
                        "Arn", stack.resolve(b.billing.getQueue().getQueueArn()),
                        "RoleArn", stack.resolve(b.closeDay.getRole().getRoleArn()),
                        "Input", "{\"job\":\"close-day\"}",
                        "DeadLetterConfig", Map.of("Arn", stack.resolve(b.hub.getDeadLetterQueue().getQueueArn())),
                        "RetryPolicy", Map.of("MaximumRetryAttempts", 3, "MaximumEventAgeInSeconds", 86400))));
    }

    // --- Publishers and alarms ------------------------------------------------------------------

    @ParameterizedTest
    @EnumSource(ComplianceProfile.class)
    void grantPutEventsToASecureFunction(final ComplianceProfile profile) {
        Built b = built.get(profile);
        Stack stack = b.stack;
        assertTrue(b.grant.getSuccess());
        assertEquals(1, b.grant.getPrincipalStatements().size());
        assertTrue(Support.roleHasStatement(b.template, stack.resolve(b.producer.getRole().getRoleName()), Map.of(
                "Effect", "Allow", "Action", "events:PutEvents", "Resource", stack.resolve(b.hub.getEventBus().getEventBusArn()))));
    }

    @ParameterizedTest
    @EnumSource(ComplianceProfile.class)
    void alarmsGoToTheStacksMonitoring(final ComplianceProfile profile) {
        Built b = built.get(profile);
        // hub dead-letter queue, 3 per route, the Shipped route's own dead-letter queue, 2 for the schedule group
        assertEquals(1 + 3 * 3 + 1 + 2, b.hub.getAlarms().size());
        Set<String> registered = Monitoring.of(b.stack).getAlarms().stream().map(a -> a.getNode().getPath()).collect(Collectors.toSet());
        for (IAlarm alarm : b.hub.getAlarms()) {
            assertTrue(registered.contains(alarm.getNode().getPath()), alarm.getNode().getPath());
        }
        for (String metric : List.of("FailedInvocations", "InvocationsSentToDlq", "InvocationsFailedToBeSentToDlq")) {
            b.template.hasResourceProperties("AWS::CloudWatch::Alarm", Map.of(
                    "Namespace", "AWS/Events",
                    "MetricName", metric,
                    "Dimensions", Match.arrayWith(List.of(
                            Map.of("Name", "EventBusName", "Value", b.stack.resolve(b.hub.getEventBus().getEventBusName())),
                            // Metrics of a rule on a custom bus name the rule itself: the part after "|" of its Ref.
                            Map.of("Name", "RuleName", "Value", Map.of("Fn::Select", List.of(1,
                                    Map.of("Fn::Split", List.of("|", b.stack.resolve(b.paid.getRule().getRuleName())))))))),
                    "Threshold", 0));
        }
    }

    // --- Compliance -----------------------------------------------------------------------------

    @ParameterizedTest
    @EnumSource(ComplianceProfile.class)
    void noFindingsInTheProfilesPacks(final ComplianceProfile profile) {
        Built b = built.get(profile);
        assertEquals(profile == ComplianceProfile.REGULATED ? 5 : 2, b.packs.size());
        assertEquals(List.of(), Support.nagViolations(b.app, profile));
    }

    // --- Errors ---------------------------------------------------------------------------------

    @Test
    void anEmptyEventPatternIsRefused() {
        Stack stack = Support.stack(new App(), "Errors");
        EventHub hub = new EventHub(stack, "Hub");
        SecureFunction fn = function(stack, "Audit");
        HubRouteOptions options = HubRouteOptions.builder()
                .eventPattern(EventPattern.builder().build())
                .targets(List.of(HubTarget.lambdaFunction(fn.getLambdaFunction())))
                .build();
        RuntimeException error = assertThrows(RuntimeException.class, () -> hub.addRoute("All", options));
        assertTrue(error.getMessage().contains("EventHub 'Errors/Hub': route 'All' eventPattern is {}; an empty pattern matches no event "
                + "and EventBridge rejects it; give at least one field (source, detailType, detail, ...)"), error.getMessage());
        assertEquals(List.of(), hub.getRoutes());
    }
}
