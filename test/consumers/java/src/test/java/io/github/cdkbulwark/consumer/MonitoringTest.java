package io.github.cdkbulwark.consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import io.github.cdkbulwark.IMonitoring;
import io.github.cdkbulwark.Monitoring;
import io.github.cdkbulwark.MonitoringAlarmsProps;
import io.github.cdkbulwark.SecureFunction;
import io.github.cdkbulwark.SecureTopic;
import io.github.cdkbulwark.SecureTopicProps;
import io.github.cdkbulwark.ThresholdAlarmOptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.App;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.assertions.Template;
import software.amazon.awscdk.services.cloudwatch.Alarm;
import software.amazon.awscdk.services.cloudwatch.AlarmBase;
import software.amazon.awscdk.services.cloudwatch.GraphWidget;
import software.amazon.awscdk.services.cloudwatch.IAlarm;
import software.amazon.awscdk.services.cloudwatch.IWidget;
import software.amazon.awscdk.services.cloudwatch.MetricOptions;
import software.amazon.awscdk.services.cloudwatch.TextWidget;
import software.amazon.awscdk.services.cloudwatch.TreatMissingData;
import software.amazon.awscdk.services.sns.ITopic;
import software.amazon.awscdk.services.sns.Topic;
import software.constructs.Construct;
import software.constructs.IConstruct;

/**
 * Monitoring from Java: an email list, an aws-cdk-lib alarm added, varargs widgets, the static
 * Monitoring.of, a getter that returns a struct, and IMonitoring both ways: a Monitoring passed to a
 * construct, and one implemented in Java that the library calls back.
 */
class MonitoringTest {
    private static Monitoring monitoring;
    private static SecureFunction fn;
    private static Alarm latency;
    private static Template template;

    @BeforeAll
    static void build() {
        Support.Checked checked = new Support.Checked("Monitored");
        monitoring = Monitoring.Builder.create(checked.stack, "Monitoring")
                .emailAddresses(List.of("oncall@example.com"))
                .dashboardEnabled(true)
                .alarms(MonitoringAlarmsProps.builder()
                        .subscriptionDeadLetterQueue(ThresholdAlarmOptions.builder().threshold(1).build()).build())
                .build();
        monitoring.addEmailSubscription("team@example.com");
        fn = Support.function(checked.stack, "Api");
        latency = Alarm.Builder.create(checked.stack, "Latency")
                .metric(fn.metricDuration(MetricOptions.builder().statistic("p90").build()))
                .threshold(1000).evaluationPeriods(3).treatMissingData(TreatMissingData.NOT_BREACHING).build();
        monitoring.addAlarm(latency);
        monitoring.addSection("Business", TextWidget.Builder.create().markdown("Orders per minute").width(12).build(),
                GraphWidget.Builder.create().title("Invocations").left(List.of(fn.metricInvocations())).width(12).build());
        template = checked.synth();
    }

    private static Set<String> paths(final List<? extends IConstruct> constructs) {
        return constructs.stream().map(c -> c.getNode().getPath()).collect(Collectors.toSet());
    }

    /** Synthesized with the STANDARD packs registered: a finding would have failed synthesis. */
    @Test
    void synthesizesAnEmailedAlarmTopicAndADashboardWithNoFinding() {
        template.resourceCountIs("AWS::SNS::Subscription", 2);
        template.resourceCountIs("AWS::CloudWatch::Dashboard", 1);
    }

    @Test
    void methodsStaticsAndGetters() {
        assertEquals("Monitored/Monitoring", Monitoring.of(fn).getNode().getPath());
        assertTrue(paths(monitoring.getAlarms()).contains(latency.getNode().getPath()));
        assertTrue(paths(monitoring.getAlarms()).containsAll(paths(fn.getAlarms())));
        assertTrue(monitoring.getAlarmTopic() instanceof Topic);
        assertEquals(1, monitoring.getAlarmOptions().getSubscriptionDeadLetterQueue().getThreshold().intValue());
    }

    /** A user's own IMonitoring, that the library calls back. */
    static final class TeamMonitoring extends Construct implements IMonitoring {
        final Topic topic = new Topic(this, "Topic");
        final List<IAlarm> received = new ArrayList<>();

        TeamMonitoring(final Construct scope, final String id) {
            super(scope, id);
        }

        @Override
        public ITopic getAlarmTopic() {
            return topic;
        }

        @Override
        public List<IAlarm> getAlarms() {
            return List.copyOf(received);
        }

        @Override
        public void addAlarm(final AlarmBase alarm) {
            received.add(alarm);
        }

        @Override
        public void addSection(final String title, final IWidget... widgets) {
        }
    }

    /**
     * Known limitation, recorded as Python records its dict routes (a strict xfail): the jsii Java runtime
     * cannot call back a variadic method implemented in Java, and constructs call
     * IMonitoring.addSection(title, ...widgets), so an IMonitoring implemented in Java fails (Python's
     * works). When this test fails the limitation is gone: assert that the alarms and sections arrive.
     */
    @Test
    void anIMonitoringImplementedInJavaCannotTakeTheVariadicAddSection() {
        Stack stack = Support.stack(new App(), "Team");
        TeamMonitoring team = new TeamMonitoring(stack, "Team");
        RuntimeException error = assertThrows(RuntimeException.class,
                () -> new SecureTopic(stack, "Orders", SecureTopicProps.builder().monitoring(team).build()));
        assertTrue(error.getMessage().contains("Cannot deserialize value of type `software.amazon.awscdk.services.cloudwatch.IWidget[]`"),
                error.getMessage());
        assertFalse(team.received.isEmpty()); // addAlarm, not variadic, did reach Java (alarms come before the dashboard section)
    }
}
