package io.github.cdkbulwark.consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import io.github.cdkbulwark.AgeAlarmOptions;
import io.github.cdkbulwark.StreamProcessor;
import io.github.cdkbulwark.StreamProcessorAlarmsProps;
import io.github.cdkbulwark.ThresholdAlarmOptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.App;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.assertions.Template;
import software.amazon.awscdk.services.iam.Grant;
import software.amazon.awscdk.services.kinesis.Stream;

/**
 * StreamProcessor from Java: the builder with handlerProps, shards, Duration retention and the alarm
 * struct (which extends StreamConsumerAlarmsProps), a producer grant, and a value the builder rejects.
 */
class StreamProcessorTest {
    private static StreamProcessor clicks;
    private static Grant grant;
    private static Template template;

    @BeforeAll
    static void build() {
        Support.Checked checked = new Support.Checked("Streams");
        clicks = StreamProcessor.Builder.create(checked.stack, "Clicks")
                .handlerProps(Support.handlerProps())
                .shardCount(1)
                .retentionPeriod(Duration.hours(48))
                .alarms(StreamProcessorAlarmsProps.builder()
                        .iteratorAge(AgeAlarmOptions.builder().maxAge(Duration.minutes(1)).build())
                        .writeThrottles(ThresholdAlarmOptions.builder().threshold(5).build())
                        .build())
                .build();
        grant = clicks.grantWrite(Support.function(checked.stack, "Producer"));
        template = checked.synth();
    }

    /** Synthesized with the STANDARD packs registered: a finding would have failed synthesis. */
    @Test
    void synthesizesACompliantStreamAndConsumer() {
        template.hasResourceProperties("AWS::Kinesis::Stream", Map.of("ShardCount", 1, "RetentionPeriodHours", 48));
        template.hasResourceProperties("AWS::Lambda::EventSourceMapping", Map.of("BisectBatchOnFunctionError", true));
    }

    @Test
    void typesCrossTheBoundary() {
        assertTrue(clicks.getStream() instanceof Stream);
        assertTrue(grant.getSuccess());
        assertEquals(List.of("IteratorAgeAlarm", "FailureQueueAlarm", "DestinationDeliveryFailuresAlarm", "WriteThrottlesAlarm"),
                clicks.getAlarms().stream().map(a -> a.getNode().getId()).limit(4).collect(Collectors.toList()));
    }

    @Test
    void aZeroShardCountNamesThePathAndTheProp() {
        Stack stack = Support.stack(new App(), "Errors");
        RuntimeException error = assertThrows(RuntimeException.class, () -> StreamProcessor.Builder.create(stack, "Bad")
                .handlerProps(Support.handlerProps()).shardCount(0).build());
        assertTrue(error.getMessage().contains("StreamProcessor 'Errors/Bad': shardCount is 0"), error.getMessage());
    }
}
