package io.github.cdkbulwark.consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import io.github.cdkbulwark.QueueSubscriptionOptions;
import io.github.cdkbulwark.QueueWorker;
import io.github.cdkbulwark.SecureFunction;
import io.github.cdkbulwark.SecureTopic;
import io.github.cdkbulwark.SecureTopicAlarmsProps;
import io.github.cdkbulwark.ServiceGrantOptions;
import io.github.cdkbulwark.ThresholdAlarmOptions;
import io.github.cdkbulwark.TopicSubscription;
import io.github.cdkbulwark.TopicSubscriptionOptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;
import software.amazon.awscdk.services.iam.Grant;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.amazon.awscdk.services.sns.FilterOrPolicy;
import software.amazon.awscdk.services.sns.NumericConditions;
import software.amazon.awscdk.services.sns.StringConditions;
import software.amazon.awscdk.services.sns.Subscription;
import software.amazon.awscdk.services.sns.SubscriptionFilter;

/**
 * SecureTopic from Java: a QueueWorker's queue and a SecureFunction subscribed with aws-cdk-lib filter
 * policies (maps of jsii objects), subscribeQueue returning a TopicSubscription struct, and grantPublish (to a
 * service principal with ServiceGrantOptions).
 */
class SecureTopicTest {
    private static SecureTopic topic;
    private static TopicSubscription billing;
    private static Grant grant;
    private static Template template;

    @BeforeAll
    static void build() {
        Support.Checked checked = new Support.Checked("Topic");
        topic = SecureTopic.Builder.create(checked.stack, "OrderEvents")
                .displayName("Order events")
                .alarms(SecureTopicAlarmsProps.builder()
                        .notificationsFailed(ThresholdAlarmOptions.builder().threshold(2).period(Duration.minutes(1)).build()).build())
                .build();
        QueueWorker worker = QueueWorker.Builder.create(checked.stack, "Billing").handlerProps(Support.handlerProps()).build();
        billing = topic.subscribeQueue("Billing", worker.getQueue(), QueueSubscriptionOptions.builder()
                .rawMessageDelivery(true)
                .filterPolicy(Map.of("type", SubscriptionFilter.stringFilter(
                        StringConditions.builder().allowlist(List.of("created", "updated")).build())))
                .build());
        SecureFunction audit = Support.function(checked.stack, "Audit");
        topic.subscribeFunction("Audit", audit.getLambdaFunction(), TopicSubscriptionOptions.builder()
                .filterPolicyWithMessageBody(Map.of("total", FilterOrPolicy.filter(SubscriptionFilter.numericFilter(
                        NumericConditions.builder().greaterThan(100).build()))))
                .build());
        grant = topic.grantPublish(audit);
        topic.grantPublish(new ServicePrincipal("s3.amazonaws.com"),
                ServiceGrantOptions.builder().sourceArn("arn:aws:s3:::orders-uploads").build());
        template = checked.synth();
    }

    /** Synthesized with the STANDARD packs registered: a finding would have failed synthesis. */
    @Test
    void synthesizesFilteredSubscriptionsWithDeadLetterQueuesAndNoFinding() {
        template.hasResourceProperties("AWS::SNS::Subscription", Map.of(
                "Protocol", "sqs", "FilterPolicy", Map.of("type", List.of("created", "updated")),
                "RedrivePolicy", Map.of("deadLetterTargetArn", Match.anyValue())));
    }

    @Test
    void subscriptionsComeBackAsStructs() {
        assertEquals("Billing", billing.getSubscriptionId());
        assertTrue(billing.getSubscription() instanceof Subscription);
        assertEquals("Topic/OrderEvents/Subscriptions/Billing/DeadLetterQueue", billing.getDeadLetterQueue().getNode().getPath());
        assertEquals(List.of("Billing", "Audit"),
                topic.getSubscriptions().stream().map(TopicSubscription::getSubscriptionId).collect(Collectors.toList()));
        assertTrue(grant.getSuccess());
    }

    /** ServiceGrantOptions from Java: the topic policy admits S3 only for this account and this bucket. */
    @Test
    void aServicePrincipalIsScopedToItsSource() {
        template.hasResourceProperties("AWS::SNS::TopicPolicy", Map.of("PolicyDocument", Map.of("Statement", Match.arrayWith(List.of(
                Match.objectLike(Map.of(
                        "Principal", Map.of("Service", "s3.amazonaws.com"),
                        "Condition", Map.of(
                                "StringEquals", Map.of("aws:SourceAccount", Match.anyValue()),
                                "ArnLike", Map.of("aws:SourceArn", "arn:aws:s3:::orders-uploads")))))))));
    }
}
