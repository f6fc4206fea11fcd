package io.github.cdkbulwark.consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import io.github.cdkbulwark.ComplianceChecks;
import io.github.cdkbulwark.CompliancePolicy;
import io.github.cdkbulwark.ComplianceProfile;
import io.github.cdkbulwark.Monitoring;
import io.github.cdkbulwark.QueueSubscriptionOptions;
import io.github.cdkbulwark.QueueWorker;
import io.github.cdkbulwark.SecureFunction;
import io.github.cdkbulwark.SecureFunctionProps;
import io.github.cdkbulwark.SecureTopic;
import io.github.cdkbulwark.SecureTopicAlarmsProps;
import io.github.cdkbulwark.ThresholdAlarmOptions;
import io.github.cdkbulwark.TopicSubscription;
import io.github.cdkbulwark.TopicSubscriptionOptions;
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
import software.amazon.awscdk.services.iam.Grant;
import software.amazon.awscdk.services.sns.FilterOrPolicy;
import software.amazon.awscdk.services.sns.NumericConditions;
import software.amazon.awscdk.services.sns.StringConditions;
import software.amazon.awscdk.services.sns.SubscriptionFilter;
import software.amazon.awscdk.services.sqs.IQueue;
import software.constructs.IConstruct;

/**
 * SecureTopic from Java: fan-out to a QueueWorker (through its queue, with a filter policy) and a
 * SecureFunction, a FIFO topic with a FIFO QueueWorker, a SecureFunction granted to publish. One
 * app per profile (the app's default profile, ComplianceChecks on), synthesized once; each test
 * runs for STANDARD and REGULATED.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SecureTopicTest {
    private static final int FOURTEEN_DAYS = 1209600;

    /** What one profile's app holds. */
    private static final class Built {
        App app;
        List<NagPack> packs;
        Stack fanout;
        SecureTopic orders;
        QueueWorker billing;
        TopicSubscription billingSub;
        SecureFunction audit;
        TopicSubscription auditSub;
        SecureFunction producer;
        Grant grant;
        Template fanoutTemplate;
        Stack fifo;
        SecureTopic payments;
        QueueWorker settlement;
        TopicSubscription settlementSub;
        Template fifoTemplate;
    }

    private final Map<ComplianceProfile, Built> built = new EnumMap<>(ComplianceProfile.class);

    private static SecureFunctionProps handlerProps() {
        return SecureFunctionProps.builder().code(Support.inlineCode()).handler("index.handler").build();
    }

    private static Built build(final ComplianceProfile profile) {
        String prefix = profile == ComplianceProfile.STANDARD ? "Standard" : "Regulated";
        Built b = new Built();
        b.app = new App();
        CompliancePolicy.setDefaultProfile(b.app, profile);
        b.packs = ComplianceChecks.enable(b.app);

        // Fan-out: a QueueWorker through its queue, a SecureFunction, a publisher.
        b.fanout = Support.stack(b.app, prefix + "Fanout");
        Monitoring.Builder.create(b.fanout, "Monitoring").emailAddresses(List.of("oncall@example.com")).build();
        b.orders = SecureTopic.Builder.create(b.fanout, "OrderEvents").displayName("Order events").build();
        b.billing = QueueWorker.Builder.create(b.fanout, "Billing").handlerProps(handlerProps()).build();
        b.billingSub = b.orders.subscribeQueue("Billing", b.billing.getQueue(), QueueSubscriptionOptions.builder()
                .rawMessageDelivery(true)
                .filterPolicy(Map.of("type", SubscriptionFilter.stringFilter(
                        StringConditions.builder().allowlist(List.of("created", "updated")).build())))
                .build());
        b.audit = SecureFunction.Builder.create(b.fanout, "Audit").code(Support.inlineCode()).handler("index.handler").build();
        b.auditSub = b.orders.subscribeFunction("Audit", b.audit.getLambdaFunction(), TopicSubscriptionOptions.builder()
                .filterPolicyWithMessageBody(Map.of("total", FilterOrPolicy.filter(SubscriptionFilter.numericFilter(
                        NumericConditions.builder().greaterThan(100).build()))))
                .build());
        b.producer = SecureFunction.Builder.create(b.fanout, "Producer").code(Support.inlineCode()).handler("index.handler").build();
        b.grant = b.orders.grantPublish(b.producer);

        // FIFO: a FIFO QueueWorker, tuned alarms.
        b.fifo = Support.stack(b.app, prefix + "Fifo");
        Monitoring.Builder.create(b.fifo, "Monitoring").emailAddresses(List.of("oncall@example.com")).build();
        b.payments = SecureTopic.Builder.create(b.fifo, "PaymentEvents")
                .fifo(true)
                .contentBasedDeduplication(true)
                .alarms(SecureTopicAlarmsProps.builder()
                        .notificationsFailed(ThresholdAlarmOptions.builder().threshold(2).period(Duration.minutes(1)).build())
                        .deadLetterQueueMessages(ThresholdAlarmOptions.builder().threshold(1).build())
                        .build())
                .build();
        b.settlement = QueueWorker.Builder.create(b.fifo, "Settlement").fifo(true).handlerProps(handlerProps()).build();
        b.settlementSub = b.payments.subscribeQueue("Settlement", b.settlement.getQueue());

        b.app.synth(); // runs the profile's packs: any finding fails here
        b.fanoutTemplate = Template.fromStack(b.fanout);
        b.fifoTemplate = Template.fromStack(b.fifo);
        return b;
    }

    @BeforeAll
    void build() {
        for (ComplianceProfile profile : List.of(ComplianceProfile.STANDARD, ComplianceProfile.REGULATED)) {
            built.put(profile, build(profile));
        }
    }

    // --- The topic ------------------------------------------------------------------------------

    @ParameterizedTest
    @EnumSource(ComplianceProfile.class)
    void topicIsEncryptedWithTheStackKeyAndTlsOnly(final ComplianceProfile profile) {
        Built b = built.get(profile);
        Stack stack = b.fanout;
        assertEquals(profile, b.orders.getComplianceProfile());
        b.fanoutTemplate.hasResourceProperties("AWS::SNS::Topic", Map.of(
                "KmsMasterKeyId", stack.resolve(b.orders.getKey().getKeyArn()),
                "DisplayName", "Order events",
                "FifoTopic", Match.absent()));
        b.fanoutTemplate.hasResourceProperties("AWS::SNS::TopicPolicy", Map.of(
                "Topics", List.of(stack.resolve(b.orders.getTopic().getTopicArn())),
                "PolicyDocument", Map.of("Statement", Match.arrayWith(List.of(Match.objectLike(Map.of(
                        "Effect", "Deny",
                        "Action", "sns:Publish",
                        "Condition", Map.of("Bool", Map.of("aws:SecureTransport", "false")))))))));
    }

    // --- Subscriptions --------------------------------------------------------------------------

    @ParameterizedTest
    @EnumSource(ComplianceProfile.class)
    void queueWorkerSubscriptionHasItsFilterPolicyAndADeadLetterQueue(final ComplianceProfile profile) {
        Built b = built.get(profile);
        Stack stack = b.fanout;
        assertEquals("Billing", b.billingSub.getSubscriptionId());
        assertEquals(stack.getStackName() + "/OrderEvents/Subscriptions/Billing/DeadLetterQueue",
                b.billingSub.getDeadLetterQueue().getNode().getPath());
        b.fanoutTemplate.hasResourceProperties("AWS::SNS::Subscription", Map.of(
                "Protocol", "sqs",
                "TopicArn", stack.resolve(b.orders.getTopic().getTopicArn()),
                "Endpoint", stack.resolve(b.billing.getQueue().getQueueArn()),
                "RawMessageDelivery", true,
                "FilterPolicy", Map.of("type", List.of("created", "updated")),
                "RedrivePolicy", Map.of("deadLetterTargetArn", stack.resolve(b.billingSub.getDeadLetterQueue().getQueueArn()))));
        b.fanoutTemplate.hasResourceProperties("AWS::SQS::QueuePolicy", Map.of(
                "Queues", List.of(stack.resolve(b.billing.getQueue().getQueueUrl())),
                "PolicyDocument", Map.of("Statement", Match.arrayWith(List.of(Match.objectLike(Map.of(
                        "Effect", "Allow",
                        "Action", "sqs:SendMessage",
                        "Principal", Map.of("Service", "sns.amazonaws.com"),
                        "Condition", Map.of("ArnEquals", Map.of("aws:SourceArn", stack.resolve(b.orders.getTopic().getTopicArn()))))))))));
    }

    @ParameterizedTest
    @EnumSource(ComplianceProfile.class)
    void functionSubscriptionFiltersOnTheBodyAndHasADeadLetterQueue(final ComplianceProfile profile) {
        Built b = built.get(profile);
        Stack stack = b.fanout;
        b.fanoutTemplate.hasResourceProperties("AWS::SNS::Subscription", Map.of(
                "Protocol", "lambda",
                "Endpoint", stack.resolve(b.audit.getLambdaFunction().getFunctionArn()),
                "FilterPolicyScope", "MessageBody",
                "FilterPolicy", Map.of("total", List.of(Map.of("numeric", List.of(">", 100)))),
                "RedrivePolicy", Map.of("deadLetterTargetArn", stack.resolve(b.auditSub.getDeadLetterQueue().getQueueArn()))));
        b.fanoutTemplate.hasResourceProperties("AWS::Lambda::Permission", Map.of(
                "Action", "lambda:InvokeFunction",
                "FunctionName", stack.resolve(b.audit.getLambdaFunction().getFunctionArn()),
                "Principal", "sns.amazonaws.com",
                "SourceArn", stack.resolve(b.orders.getTopic().getTopicArn())));
        assertEquals(List.of("Billing", "Audit"),
                b.orders.getSubscriptions().stream().map(TopicSubscription::getSubscriptionId).collect(Collectors.toList()));
    }

    @ParameterizedTest
    @EnumSource(ComplianceProfile.class)
    void deadLetterQueuesAreRetainedAndEncryptedForTheProfile(final ComplianceProfile profile) {
        Built b = built.get(profile);
        Map<String, Object> expected = new HashMap<>(Map.of("MessageRetentionPeriod", FOURTEEN_DAYS));
        if (profile == ComplianceProfile.REGULATED) {
            expected.put("KmsMasterKeyId", b.fanout.resolve(b.orders.getKey().getKeyArn()));
            expected.put("SqsManagedSseEnabled", Match.absent());
        } else {
            expected.put("SqsManagedSseEnabled", true);
            expected.put("KmsMasterKeyId", Match.absent());
        }
        Set<String> matching = b.fanoutTemplate.findResources("AWS::SQS::Queue", Map.of(
                "DeletionPolicy", "Retain",
                "Properties", Match.objectLike(expected))).keySet();
        for (TopicSubscription sub : List.of(b.billingSub, b.auditSub)) {
            assertTrue(matching.contains(Support.logicalId(sub.getDeadLetterQueue())), sub.getSubscriptionId() + " in " + matching);
        }
    }

    @ParameterizedTest
    @EnumSource(ComplianceProfile.class)
    void alarmsGoToTheStacksMonitoring(final ComplianceProfile profile) {
        Built b = built.get(profile);
        assertEquals(4, b.orders.getAlarms().size()); // failed, failed to redrive, one per dead-letter queue
        assertNotNull(b.billingSub.getDeadLetterQueueAlarm());
        Set<String> registered = Monitoring.of(b.fanout).getAlarms().stream().map(a -> a.getNode().getPath()).collect(Collectors.toSet());
        for (IAlarm alarm : b.orders.getAlarms()) {
            assertTrue(registered.contains(alarm.getNode().getPath()), alarm.getNode().getPath());
        }
        for (String metric : List.of("NumberOfNotificationsFailed", "NumberOfNotificationsFailedToRedriveToDlq")) {
            b.fanoutTemplate.hasResourceProperties("AWS::CloudWatch::Alarm", Map.of(
                    "Namespace", "AWS/SNS",
                    "MetricName", metric,
                    "Dimensions", List.of(Map.of("Name", "TopicName", "Value", b.fanout.resolve(b.orders.getTopic().getTopicName()))),
                    "Threshold", 0));
        }
    }

    @ParameterizedTest
    @EnumSource(ComplianceProfile.class)
    void grantPublishToASecureFunction(final ComplianceProfile profile) {
        Built b = built.get(profile);
        Stack stack = b.fanout;
        assertTrue(b.grant.getSuccess());
        Object roleRef = stack.resolve(b.producer.getRole().getRoleName());
        Object topicArn = stack.resolve(b.orders.getTopic().getTopicArn());
        assertTrue(Support.roleHasStatement(b.fanoutTemplate, roleRef, Map.of(
                "Effect", "Allow", "Action", "sns:Publish", "Resource", topicArn)));
        assertTrue(Support.roleHasStatement(b.fanoutTemplate, roleRef, Map.of(
                "Effect", "Allow",
                "Action", List.of("kms:GenerateDataKey", "kms:Decrypt"),
                "Resource", stack.resolve(b.orders.getKey().getKeyArn()),
                "Condition", Map.of("StringEquals", Map.of(
                        "kms:ViaService", "sns.eu-west-1.amazonaws.com",
                        "kms:EncryptionContext:aws:sns:topicArn", topicArn)))));
    }

    // --- FIFO -----------------------------------------------------------------------------------

    @ParameterizedTest
    @EnumSource(ComplianceProfile.class)
    void fifoTopicDeliversToAFifoQueueWorker(final ComplianceProfile profile) {
        Built b = built.get(profile);
        Stack stack = b.fifo;
        IQueue dlq = b.settlementSub.getDeadLetterQueue();
        assertEquals(true, b.payments.getTopic().getFifo());
        assertEquals(true, dlq.getFifo());
        b.fifoTemplate.hasResourceProperties("AWS::SNS::Topic", Map.of(
                "FifoTopic", true,
                "ContentBasedDeduplication", true,
                "TopicName", Match.stringLikeRegexp("\\.fifo$"),
                "KmsMasterKeyId", stack.resolve(b.payments.getKey().getKeyArn())));
        b.fifoTemplate.hasResourceProperties("AWS::SNS::Subscription", Map.of(
                "Protocol", "sqs",
                "Endpoint", stack.resolve(b.settlement.getQueue().getQueueArn()),
                "RedrivePolicy", Map.of("deadLetterTargetArn", stack.resolve(dlq.getQueueArn()))));
        assertTrue(b.fifoTemplate.findResources("AWS::SQS::Queue", Map.of("Properties", Match.objectLike(Map.of("FifoQueue", true))))
                .containsKey(Support.logicalId(dlq)));
        b.fifoTemplate.hasResourceProperties("AWS::CloudWatch::Alarm", Map.of(
                "MetricName", "NumberOfNotificationsFailed",
                "Dimensions", List.of(Map.of("Name", "TopicName", "Value", stack.resolve(b.payments.getTopic().getTopicName()))),
                "Threshold", 2,
                "Period", 60));
        b.fifoTemplate.hasResourceProperties("AWS::CloudWatch::Alarm", Map.of(
                "MetricName", "ApproximateNumberOfMessagesVisible",
                "Dimensions", List.of(Map.of("Name", "QueueName", "Value", stack.resolve(dlq.getQueueName()))),
                "Threshold", 1));
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
    void subscribeFunctionOnAFifoTopicIsRefused() {
        Stack stack = Support.stack(new App(), "Errors");
        SecureTopic payments = SecureTopic.Builder.create(stack, "Payments").fifo(true).build();
        SecureFunction fn = SecureFunction.Builder.create(stack, "Audit").code(Support.inlineCode()).handler("index.handler").build();
        RuntimeException error = assertThrows(RuntimeException.class, () -> payments.subscribeFunction("Audit", fn.getLambdaFunction()));
        assertTrue(error.getMessage().contains("SecureTopic 'Errors/Payments': subscribeFunction('Audit'): FIFO topics deliver only to SQS queues; "
                + "subscribe a FIFO queue with subscribeQueue() and let it trigger the function (a FIFO QueueWorker does both)"),
                error.getMessage());
        assertEquals(List.of(), payments.getSubscriptions());
    }
}
