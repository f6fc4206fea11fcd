package io.github.cdkbulwark.consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import io.github.cdkbulwark.AgeAlarmOptions;
import io.github.cdkbulwark.ComplianceProfile;
import io.github.cdkbulwark.Monitoring;
import io.github.cdkbulwark.QueueWorker;
import io.github.cdkbulwark.QueueWorkerAlarmsProps;
import io.github.cdkbulwark.QueueWorkerProps;
import io.github.cdkbulwark.SecureFunction;
import io.github.cdkbulwark.ThresholdAlarmOptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;
import software.amazon.awscdk.services.cloudwatch.MetricOptions;
import software.amazon.awscdk.services.iam.Grant;
import software.amazon.awscdk.services.kms.Key;
import software.amazon.awscdk.services.sqs.Queue;

/**
 * QueueWorker from Java: the builder with Durations, nested alarm structs (QueueWorkerAlarmsProps
 * holding AgeAlarmOptions and ThresholdAlarmOptions), handler props as a struct, the props-struct
 * constructor, brought resources passed across as interfaces (a key, a function, a Monitoring), and a grant.
 */
class QueueWorkerTest {
    private static Monitoring monitoring;
    private static QueueWorker orders;
    private static QueueWorker refunds;
    private static SecureFunction ownHandler;
    private static Grant grant;
    private static Template template;

    @BeforeAll
    static void build() {
        Support.Checked checked = new Support.Checked("Workers");
        monitoring = Monitoring.Builder.create(checked.stack, "Monitoring").emailAddresses(List.of("oncall@example.com")).build();
        orders = QueueWorker.Builder.create(checked.stack, "Orders")
                .complianceProfile(ComplianceProfile.STANDARD)
                .monitoring(monitoring)
                .key(Key.Builder.create(checked.stack, "Key").enableKeyRotation(true).build())
                .visibilityTimeout(Duration.minutes(10))
                .batchSize(100)
                .maxBatchingWindow(Duration.seconds(20))
                .alarms(QueueWorkerAlarmsProps.builder()
                        .oldestMessageAge(AgeAlarmOptions.builder().maxAge(Duration.minutes(5)).evaluationPeriods(3).build())
                        .handlerErrors(ThresholdAlarmOptions.builder().threshold(5).period(Duration.minutes(1)).build())
                        .build())
                .handlerProps(Support.handlerProps())
                .build();
        ownHandler = Support.function(checked.stack, "OwnHandler");
        refunds = new QueueWorker(checked.stack, "Refunds", QueueWorkerProps.builder().handler(ownHandler.getLambdaFunction()).build());
        grant = orders.grantSendMessages(Support.function(checked.stack, "Producer"));
        template = checked.synth();
    }

    /** Synthesized with the STANDARD packs registered: a finding would have failed synthesis. */
    @Test
    void synthesizesAQueueWithDeadLettersAndPartialBatchFailuresAndNoFinding() {
        template.hasResourceProperties("AWS::SQS::Queue", Map.of(
                "VisibilityTimeout", 600, "RedrivePolicy", Match.objectLike(Map.of("maxReceiveCount", 5))));
        template.hasResourceProperties("AWS::Lambda::EventSourceMapping", Map.of(
                "BatchSize", 100, "FunctionResponseTypes", List.of("ReportBatchItemFailures")));
    }

    @Test
    void gettersMetricsAndGrant() {
        assertTrue(orders.getQueue() instanceof Queue);
        assertEquals("Workers/Orders/Handler/Function", orders.getHandler().getNode().getPath());
        assertEquals(orders.getHandler().getNode().getPath(), orders.getSecureFunction().getLambdaFunction().getNode().getPath());
        assertEquals(4, orders.getAlarms().size());
        Set<String> registered = monitoring.getAlarms().stream().map(a -> a.getNode().getPath()).collect(Collectors.toSet());
        assertTrue(orders.getAlarms().stream().allMatch(a -> registered.contains(a.getNode().getPath())));
        assertEquals(60, orders.metricApproximateAgeOfOldestMessage(MetricOptions.builder().period(Duration.minutes(1)).build())
                .getPeriod().toSeconds());
        assertTrue(grant.getSuccess());
    }

    @Test
    void aBroughtFunctionIsTheHandler() {
        assertNull(refunds.getSecureFunction());
        assertEquals(ownHandler.getLambdaFunction().getNode().getPath(), refunds.getHandler().getNode().getPath());
    }
}
