package io.github.cdkbulwark.consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import io.github.cdkbulwark.BucketCorsOptions;
import io.github.cdkbulwark.BucketEventPatternOptions;
import io.github.cdkbulwark.BucketEventRouteOptions;
import io.github.cdkbulwark.BucketEventType;
import io.github.cdkbulwark.HubTarget;
import io.github.cdkbulwark.IHubRoute;
import io.github.cdkbulwark.QueueWorker;
import io.github.cdkbulwark.SecureBucket;
import io.github.cdkbulwark.SecureBucketAlarmsProps;
import io.github.cdkbulwark.ThresholdAlarmOptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.App;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;
import software.amazon.awscdk.services.events.EventPattern;
import software.amazon.awscdk.services.iam.Grant;

/**
 * SecureBucket from Java: the builder with Duration and the BucketCorsOptions builder, an event route to
 * a QueueWorker's queue (the BucketEventRouteOptions builder, the BucketEventType enum in a list),
 * eventPattern() with its options builder, a grant, the alarm struct, and a value the builder rejects.
 */
class SecureBucketTest {
    private static SecureBucket uploads;
    private static IHubRoute route;
    private static Grant grant;
    private static EventPattern pattern;
    private static Template template;

    @BeforeAll
    static void build() {
        Support.Checked checked = new Support.Checked("Buckets");
        uploads = SecureBucket.Builder.create(checked.stack, "Uploads")
                .noncurrentVersionExpiration(Duration.days(30))
                .cors(BucketCorsOptions.builder().allowedOrigins(List.of("https://app.example.com")).build())
                .alarms(SecureBucketAlarmsProps.builder().failedInvocations(ThresholdAlarmOptions.builder().threshold(2).build()).build())
                .build();
        QueueWorker worker = QueueWorker.Builder.create(checked.stack, "Transform").handlerProps(Support.handlerProps()).build();
        route = uploads.addEventRoute("ToTransform", BucketEventRouteOptions.builder()
                .targets(List.of(HubTarget.queue(worker.getQueue())))
                .events(List.of(BucketEventType.OBJECT_CREATED))
                .keyPrefix("incoming/")
                .build());
        grant = uploads.grantRead(worker.getHandler(), "incoming/*");
        pattern = uploads.eventPattern(BucketEventPatternOptions.builder().keySuffix(".csv").build());
        template = checked.synth();
    }

    /** Synthesized with the STANDARD packs registered: a finding would have failed synthesis. */
    @Test
    void synthesizesACompliantBucketAndItsRoute() {
        template.hasResourceProperties("AWS::S3::Bucket", Map.of(
                "NotificationConfiguration", Map.of("EventBridgeConfiguration", Map.of("EventBridgeEnabled", true))));
        template.hasResourceProperties("AWS::Events::Rule", Map.of("EventPattern", Match.objectLike(Map.of("source", List.of("aws.s3")))));
    }

    @Test
    void typesCrossTheBoundary() {
        assertEquals(List.of("FailedInvocationsAlarm", "InvocationsSentToDlqAlarm", "InvocationsFailedToBeSentToDlqAlarm"),
                route.getAlarms().stream().map(a -> a.getNode().getId()).collect(Collectors.toList()));
        assertTrue(grant.getSuccess());
        assertEquals(List.of("Object Created"), pattern.getDetailType());
        assertTrue(uploads.getEventsDeadLetterQueue() != null);
    }

    @Test
    void aBadBucketNameNamesThePathAndTheProp() {
        Stack stack = Support.stack(new App(), "Errors");
        RuntimeException error = assertThrows(RuntimeException.class, () -> SecureBucket.Builder.create(stack, "Bad").bucketName("Not_A_Bucket").build());
        assertTrue(error.getMessage().contains("SecureBucket 'Errors/Bad': bucketName"), error.getMessage());
    }
}
