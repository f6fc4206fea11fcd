package io.github.cdkbulwark.consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import io.github.cdkbulwark.ComplianceProfile;
import io.github.cdkbulwark.FunctionAlarmsProps;
import io.github.cdkbulwark.SecureFunction;
import io.github.cdkbulwark.ThresholdAlarmOptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.assertions.Template;
import software.amazon.awscdk.services.cloudwatch.Metric;
import software.amazon.awscdk.services.cloudwatch.MetricOptions;
import software.amazon.awscdk.services.lambda.ApplicationLogLevel;
import software.amazon.awscdk.services.lambda.Architecture;
import software.amazon.awscdk.services.lambda.Code;
import software.amazon.awscdk.services.lambda.Function;
import software.amazon.awscdk.services.logs.RetentionDays;

/** SecureFunction from Java: the builder with aws-cdk-lib enums and Durations, a struct of alarm options, and getters and metric methods that hand aws-cdk-lib types back. */
class SecureFunctionTest {
    private static SecureFunction fn;
    private static Template template;

    @BeforeAll
    static void build() {
        Support.Checked checked = new Support.Checked("Function");
        fn = SecureFunction.Builder.create(checked.stack, "Fn")
                .code(Code.fromInline("exports.handler = async () => ({});"))
                .handler("index.handler")
                .architecture(Architecture.X86_64)
                .applicationLogLevel(ApplicationLogLevel.WARN)
                .logRetention(RetentionDays.ONE_MONTH)
                .timeout(Duration.minutes(2))
                .environment(Map.of("STAGE", "prod"))
                .alarms(FunctionAlarmsProps.builder()
                        .errors(ThresholdAlarmOptions.builder().threshold(3).build())
                        .throttles(ThresholdAlarmOptions.builder().enabled(false).build())
                        .build())
                .build();
        template = checked.synth();
    }

    /** Synthesized with the STANDARD packs registered: a finding would have failed synthesis. */
    @Test
    void synthesizesTracedWithTheGivenArchitectureAndNoFinding() {
        template.hasResourceProperties("AWS::Lambda::Function", Map.of(
                "Architectures", List.of("x86_64"), "TracingConfig", Map.of("Mode", "Active")));
    }

    @Test
    void gettersAndMetricsReturnAwsCdkTypes() {
        assertTrue(fn.getLambdaFunction() instanceof Function);
        assertEquals(120, fn.getTimeout().toSeconds());
        assertEquals(ComplianceProfile.STANDARD, fn.getComplianceProfile());
        assertEquals(1, fn.getAlarms().size()); // throttles switched off through the struct
        Metric metric = fn.metricDuration(MetricOptions.builder().statistic("p99").period(Duration.minutes(1)).build());
        assertEquals("Duration", metric.getMetricName());
        assertEquals(60, metric.getPeriod().toSeconds());
    }
}
