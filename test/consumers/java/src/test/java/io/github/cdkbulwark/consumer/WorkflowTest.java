package io.github.cdkbulwark.consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.cdkbulwark.ComplianceProfile;
import io.github.cdkbulwark.ResilientTask;
import io.github.cdkbulwark.TaskCatchOptions;
import io.github.cdkbulwark.TaskRetryOptions;
import io.github.cdkbulwark.ThresholdAlarmOptions;
import io.github.cdkbulwark.Workflow;
import io.github.cdkbulwark.WorkflowAlarmsProps;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.App;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;
import software.amazon.awscdk.services.cloudwatch.Alarm;
import software.amazon.awscdk.services.cloudwatch.IAlarm;
import software.amazon.awscdk.services.cloudwatch.Metric;
import software.amazon.awscdk.services.cloudwatch.MetricOptions;
import software.amazon.awscdk.services.iam.Grant;
import software.amazon.awscdk.services.stepfunctions.DefinitionBody;
import software.amazon.awscdk.services.stepfunctions.Fail;
import software.amazon.awscdk.services.stepfunctions.StateMachine;
import software.amazon.awscdk.services.stepfunctions.StateMachineType;
import software.amazon.awscdk.services.stepfunctions.Succeed;
import software.amazon.awscdk.services.stepfunctions.tasks.LambdaInvoke;

/**
 * Workflow from Java: a Standard workflow from aws-cdk-lib states (DefinitionBody.fromChainable with a
 * LambdaInvoke of a SecureFunction), an Express workflow from Amazon States Language JSON
 * (DefinitionBody.fromString) with the StateMachineType enum, the WorkflowAlarmsProps struct, the alarms
 * getter, grantStartExecution to a SecureFunction, and a value the builder's constructor rejects.
 */
class WorkflowTest {
    /** An Amazon States Language definition without TimeoutSeconds: the workflow writes its timeout in. */
    private static final Map<String, Object> EXPRESS_DEFINITION = Map.of("StartAt", "Accept", "States", Map.of(
            "Accept", Map.of("Type", "Pass", "Result", Map.of("accepted", true), "End", true)));
    private static final ObjectMapper JSON = new ObjectMapper();

    private static Workflow standard;
    private static Workflow express;
    private static Grant grant;
    private static Template template;

    private static DefinitionBody expressDefinition() {
        try {
            return DefinitionBody.fromString(JSON.writeValueAsString(EXPRESS_DEFINITION));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    @BeforeAll
    static void build() {
        Support.Checked checked = new Support.Checked("Workflows");
        // The function's current version: a qualified ARN, so the task's grant names it and no "<arn>:*"
        // (LambdaInvoke of the unqualified function grants that wildcard, an AwsSolutions-IAM5 finding of the user's).
        LambdaInvoke invoke = LambdaInvoke.Builder.create(checked.stack, "Invoke")
                .lambdaFunction(Support.function(checked.stack, "Handler").getLambdaFunction().getCurrentVersion())
                .payloadResponseOnly(true)
                .build();
        // The retry helper, with its option structs.
        ResilientTask.retry(invoke, TaskRetryOptions.builder().maxAttempts(4).maxDelay(Duration.seconds(20)).build());
        ResilientTask.catchTo(invoke, new Fail(checked.stack, "Failed"), TaskCatchOptions.builder().resultPath("$.failure").build());
        standard = Workflow.Builder.create(checked.stack, "Orders")
                .definitionBody(DefinitionBody.fromChainable(invoke.next(new Succeed(checked.stack, "Done"))))
                .alarms(WorkflowAlarmsProps.builder()
                        .executionsFailed(ThresholdAlarmOptions.builder().threshold(1).build())
                        .build())
                .build();
        grant = standard.grantStartExecution(Support.function(checked.stack, "Starter"));
        express = Workflow.Builder.create(checked.stack, "Intake")
                .definitionBody(expressDefinition())
                .stateMachineType(StateMachineType.EXPRESS)
                .build();
        template = checked.synth();
    }

    /** Synthesized with the STANDARD packs registered: a finding would have failed synthesis. */
    @Test
    void synthesizesLoggedAndTracedStateMachinesAndNoFinding() {
        template.resourcePropertiesCountIs("AWS::StepFunctions::StateMachine", Map.of(
                "LoggingConfiguration", Map.of("Level", "ALL", "IncludeExecutionData", false),
                "TracingConfiguration", Map.of("Enabled", true)), 2);
    }

    @Test
    @SuppressWarnings("unchecked")
    void aJsonDefinitionGetsTheExpressTimeout() throws JsonProcessingException {
        Map<String, Map<String, Object>> found = template.findResources("AWS::StepFunctions::StateMachine",
                Map.of("Properties", Map.of("StateMachineType", "EXPRESS")));
        assertEquals(1, found.size());
        Map<String, Object> properties = (Map<String, Object>) found.values().iterator().next().get("Properties");
        Map<String, Object> definition = JSON.readValue((String) properties.get("DefinitionString"), Map.class);
        assertEquals(300, definition.get("TimeoutSeconds"));
        assertEquals("Accept", definition.get("StartAt"));
        assertEquals(300, express.getTimeout().toSeconds().intValue());
    }

    @Test
    void theAlarmStructAndGettersCrossTheBoundary() {
        assertEquals(4, standard.getAlarms().size());
        assertEquals(5, express.getAlarms().size()); // and the p90 execution time, Express only
        List<IAlarm> alarms = new ArrayList<>(standard.getAlarms());
        alarms.addAll(express.getAlarms());
        assertTrue(alarms.stream().allMatch(a -> a instanceof Alarm));
        template.hasResourceProperties("AWS::CloudWatch::Alarm", Map.of("MetricName", "ExecutionsFailed", "Threshold", 1));
        assertTrue(standard.getStateMachine() instanceof StateMachine);
        assertEquals(24 * 60 * 60, standard.getTimeout().toSeconds().intValue());
        assertEquals(ComplianceProfile.STANDARD, standard.getComplianceProfile());
        Metric metric = standard.metricFailed(MetricOptions.builder().period(Duration.minutes(1)).build());
        assertEquals("ExecutionsFailed", metric.getMetricName());
        assertEquals(60, metric.getPeriod().toSeconds().intValue());
    }

    @Test
    void grantStartExecutionReachesTheFunctionRole() {
        assertTrue(grant.getSuccess());
        template.hasResourceProperties("AWS::IAM::Policy", Map.of("PolicyDocument", Map.of("Statement", Match.arrayWith(List.of(
                Match.objectLike(Map.of(
                        "Action", "states:StartExecution",
                        "Resource", Map.of("Ref", Match.stringLikeRegexp("^OrdersStateMachine")))))))));
    }

    @Test
    void aTimeoutLongerThanExpressAllowsNamesThePathAndTheProp() {
        Stack stack = Support.stack(new App(), "Errors");
        RuntimeException error = assertThrows(RuntimeException.class, () -> Workflow.Builder.create(stack, "Fast")
                .definitionBody(expressDefinition())
                .stateMachineType(StateMachineType.EXPRESS)
                .timeout(Duration.minutes(6))
                .build());
        assertTrue(error.getMessage().contains(
                "Workflow 'Errors/Fast': timeout is 6 minutes; it must be a whole number of seconds from 1 second to 5 minutes"), error.getMessage());
    }

    @Test
    @SuppressWarnings("unchecked")
    void theRetryAndCatchHelpersReachTheDefinition() {
        Map<String, Map<String, Object>> found = template.findResources("AWS::StepFunctions::StateMachine",
                Map.of("Properties", Map.of("StateMachineType", Match.absent())));
        Map<String, Object> properties = (Map<String, Object>) found.values().iterator().next().get("Properties");
        Object body = properties.get("DefinitionString");
        StringBuilder text = new StringBuilder();
        if (body instanceof String) {
            text.append((String) body);
        } else {
            List<Object> parts = (List<Object>) ((List<Object>) ((Map<String, Object>) body).get("Fn::Join")).get(1);
            for (Object part : parts) {
                text.append(part instanceof String ? (String) part : "REF");
            }
        }
        assertTrue(text.toString().contains("\"MaxAttempts\":4"), text.toString());
        assertTrue(text.toString().contains("\"ResultPath\":\"$.failure\",\"Next\":\"Failed\""), text.toString());
    }
}
