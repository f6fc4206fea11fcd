package io.github.cdkbulwark.consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import io.github.cdkbulwark.AgeAlarmOptions;
import io.github.cdkbulwark.ComplianceChecks;
import io.github.cdkbulwark.ComplianceChecksOptions;
import io.github.cdkbulwark.ComplianceProfile;
import io.github.cdkbulwark.Monitoring;
import io.github.cdkbulwark.QueueWorker;
import io.github.cdkbulwark.QueueWorkerAlarmsProps;
import io.github.cdkbulwark.SecureFunction;
import io.github.cdkbulwark.SecureFunctionProps;
import io.github.cdkbulwark.ThresholdAlarmOptions;
import io.github.cdklabs.cdknag.AwsSolutionsChecks;
import io.github.cdklabs.cdknag.NagPack;
import io.github.cdklabs.cdknag.ServerlessChecks;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import software.amazon.awscdk.Acknowledgment;
import software.amazon.awscdk.App;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.Validations;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;
import software.amazon.awscdk.services.iam.Grant;
import software.amazon.awscdk.services.kms.Key;
import software.amazon.awscdk.services.lambda.ApplicationLogLevel;
import software.amazon.awscdk.services.lambda.Architecture;
import software.amazon.awscdk.services.logs.RetentionDays;
import software.amazon.awscdk.services.sqs.DeadLetterQueue;
import software.amazon.awscdk.services.sqs.Queue;
import software.amazon.awscdk.services.sqs.QueueEncryption;
import software.constructs.IConstruct;

/**
 * QueueWorker from Java: minimal, FIFO, bring-your-own resources, every prop. One app, one stack per
 * scenario, synthesized once with ComplianceChecks on (any finding fails synthesis).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class QueueWorkerTest {
    private App app;
    private List<NagPack> packs;
    private QueueWorker minimal;
    private QueueWorker byo;
    private QueueWorker refunds;
    private Grant grant;
    private Template minimalTemplate;
    private Template fifoTemplate;
    private Template byoTemplate;
    private Template maximalTemplate;

    @BeforeAll
    void build() {
        app = new App();
        packs = ComplianceChecks.enable(app, ComplianceChecksOptions.builder().profile(ComplianceProfile.STANDARD).build());

        Stack minimalStack = Support.stack(app, "Minimal");
        minimal = QueueWorker.Builder.create(minimalStack, "Orders")
                .handlerProps(SecureFunctionProps.builder().code(Support.inlineCode()).handler("index.handler").build())
                .build();

        Stack fifoStack = Support.stack(app, "Fifo");
        QueueWorker.Builder.create(fifoStack, "Payments")
                .fifo(true)
                .contentBasedDeduplication(true)
                .batchSize(5)
                .handlerProps(SecureFunctionProps.builder().code(Support.inlineCode()).handler("index.handler").build())
                .build();

        Stack byoStack = Support.stack(app, "BringYourOwn");
        Key key = Key.Builder.create(byoStack, "Key").enableKeyRotation(true).build();
        Queue ownDlq = Queue.Builder.create(byoStack, "OwnDeadLetterQueue")
                .encryption(QueueEncryption.KMS).encryptionMasterKey(key).enforceSsl(true)
                .retentionPeriod(Duration.days(14)).build();
        SecureFunction ownHandler = SecureFunction.Builder.create(byoStack, "OwnHandler")
                .code(Support.inlineCode()).handler("index.handler").timeout(Duration.seconds(10)).build();
        byo = QueueWorker.Builder.create(byoStack, "Invoices")
                .key(key).deadLetterQueue(ownDlq).handler(ownHandler.getLambdaFunction()).build();
        Queue queueDlq = Queue.Builder.create(byoStack, "OwnQueueDeadLetters")
                .encryption(QueueEncryption.SQS_MANAGED).enforceSsl(true).retentionPeriod(Duration.days(14)).build();
        Queue ownQueue = Queue.Builder.create(byoStack, "OwnQueue")
                .encryption(QueueEncryption.SQS_MANAGED).enforceSsl(true).visibilityTimeout(Duration.minutes(3))
                .deadLetterQueue(DeadLetterQueue.builder().queue(queueDlq).maxReceiveCount(5).build()).build();
        refunds = QueueWorker.Builder.create(byoStack, "Refunds")
                .queue(ownQueue)
                .handlerProps(SecureFunctionProps.builder().code(Support.inlineCode()).handler("index.handler").build())
                .build();
        // Our own dead-letter queues are ours to acknowledge.
        for (Queue dlq : List.of(ownDlq, queueDlq)) {
            Validations.of((IConstruct) dlq.getNode().getDefaultChild()).acknowledge(Acknowledgment.builder()
                    .id("Serverless-SQSRedrivePolicy").reason("[false positive] a dead-letter queue of this stack").build());
        }
        SecureFunction producer = SecureFunction.Builder.create(byoStack, "Producer")
                .code(Support.inlineCode()).handler("index.handler").build();
        grant = byo.grantSendMessages(producer);

        Stack maxStack = Support.stack(app, "Maximal");
        Monitoring monitoring = Monitoring.Builder.create(maxStack, "Monitoring").emailAddresses(List.of("oncall@example.com")).build();
        QueueWorker.Builder.create(maxStack, "Shipments")
                .complianceProfile(ComplianceProfile.STANDARD)
                .monitoring(monitoring)
                .key(Key.Builder.create(maxStack, "Key").enableKeyRotation(true).build())
                .visibilityTimeout(Duration.minutes(10))
                .retentionPeriod(Duration.days(7))
                .maxReceiveCount(8)
                .batchSize(100)
                .maxBatchingWindow(Duration.seconds(20))
                .maxConcurrency(20)
                .alarms(QueueWorkerAlarmsProps.builder()
                        .oldestMessageAge(AgeAlarmOptions.builder().maxAge(Duration.minutes(5)).evaluationPeriods(3).datapointsToAlarm(2).build())
                        .handlerErrors(ThresholdAlarmOptions.builder().threshold(5).period(Duration.minutes(1)).build())
                        .build())
                .handlerProps(SecureFunctionProps.builder()
                        .code(Support.inlineCode())
                        .handler("index.handler")
                        .description("Processes shipments")
                        .memorySize(1024)
                        .timeout(Duration.seconds(60))
                        .architecture(Architecture.X86_64)
                        .environment(Map.of("TABLE", "shipments"))
                        .applicationLogLevel(ApplicationLogLevel.DEBUG)
                        .logRetention(RetentionDays.SIX_MONTHS)
                        .reservedConcurrentExecutions(25)
                        .asyncRetryAttempts(1)
                        .asyncMaxEventAge(Duration.hours(1))
                        .build())
                .build();

        app.synth();
        minimalTemplate = Template.fromStack(minimalStack);
        fifoTemplate = Template.fromStack(fifoStack);
        byoTemplate = Template.fromStack(byoStack);
        maximalTemplate = Template.fromStack(maxStack);
    }

    @Test
    void minimalCreatesQueueDeadLetterQueueFunctionAndMapping() {
        minimalTemplate.resourceCountIs("AWS::Lambda::Function", 1);
        minimalTemplate.resourceCountIs("AWS::SQS::Queue", 3);
        minimalTemplate.resourceCountIs("AWS::CloudWatch::Alarm", 5);
        minimalTemplate.hasResourceProperties("AWS::SQS::Queue", Map.of(
                "VisibilityTimeout", 180,
                "SqsManagedSseEnabled", true,
                "RedrivePolicy", Map.of("deadLetterTargetArn", Match.anyValue(), "maxReceiveCount", 5)));
        minimalTemplate.hasResourceProperties("AWS::Lambda::EventSourceMapping", Map.of(
                "BatchSize", 10,
                "FunctionResponseTypes", List.of("ReportBatchItemFailures")));
        minimalTemplate.hasResourceProperties("AWS::Lambda::Function", Map.of(
                "Architectures", List.of("arm64"),
                "Runtime", "nodejs24.x",
                "TracingConfig", Map.of("Mode", "Active")));
    }

    @Test
    void javaSeesTypedAttributes() {
        assertTrue(minimal.getQueue() instanceof Queue);
        assertEquals("Minimal/Orders/Handler/Function", minimal.getHandler().getNode().getPath());
        assertEquals(minimal.getHandler().getNode().getPath(), minimal.getSecureFunction().getLambdaFunction().getNode().getPath());
        assertEquals(ComplianceProfile.STANDARD, minimal.getComplianceProfile());
        assertEquals(4, minimal.getAlarms().size());
        assertEquals("ApproximateAgeOfOldestMessage", minimal.metricApproximateAgeOfOldestMessage().getMetricName());
    }

    @Test
    void fifoQueueAndMapping() {
        fifoTemplate.hasResourceProperties("AWS::SQS::Queue", Map.of("FifoQueue", true, "ContentBasedDeduplication", true));
        fifoTemplate.hasResourceProperties("AWS::SQS::Queue", Map.of("FifoQueue", true, "MessageRetentionPeriod", 1209600));
        fifoTemplate.hasResourceProperties("AWS::Lambda::EventSourceMapping", Map.of(
                "BatchSize", 5, "MaximumBatchingWindowInSeconds", Match.absent()));
    }

    @Test
    void bringYourOwnKeyDeadLetterQueueAndHandler() {
        Stack stack = Stack.of(byo);
        assertNull(byo.getSecureFunction());
        byoTemplate.hasResourceProperties("AWS::SQS::Queue", Map.of(
                "VisibilityTimeout", 60,
                "KmsMasterKeyId", stack.resolve(byo.getQueue().getEncryptionMasterKey().getKeyArn()),
                "RedrivePolicy", Map.of("deadLetterTargetArn", stack.resolve(byo.getDeadLetterQueue().getQueueArn()), "maxReceiveCount", 5)));
        byoTemplate.hasResourceProperties("AWS::Lambda::EventSourceMapping", Map.of(
                "EventSourceArn", stack.resolve(byo.getQueue().getQueueArn()),
                "FunctionName", stack.resolve(byo.getHandler().getFunctionName())));
        byoTemplate.hasResourceProperties("AWS::Lambda::EventSourceMapping", Map.of(
                "EventSourceArn", stack.resolve(refunds.getQueue().getQueueArn())));
        assertEquals("OwnQueueDeadLetters", refunds.getDeadLetterQueue().getNode().getId());
    }

    @Test
    void grantSendMessages() {
        assertTrue(grant.getSuccess());
        byoTemplate.hasResourceProperties("AWS::IAM::Policy", Map.of("PolicyDocument", Map.of("Statement", Match.arrayWith(List.of(
                Match.objectLike(Map.of("Action", List.of("sqs:SendMessage", "sqs:GetQueueAttributes", "sqs:GetQueueUrl"))),
                Match.objectLike(Map.of("Action", List.of("kms:GenerateDataKey", "kms:Decrypt"))))))));
    }

    @Test
    void everyProp() {
        maximalTemplate.hasResourceProperties("AWS::SQS::Queue", Map.of(
                "VisibilityTimeout", 600,
                "MessageRetentionPeriod", 604800,
                "RedrivePolicy", Match.objectLike(Map.of("maxReceiveCount", 8))));
        maximalTemplate.hasResourceProperties("AWS::Lambda::EventSourceMapping", Map.of(
                "BatchSize", 100,
                "MaximumBatchingWindowInSeconds", 20,
                "ScalingConfig", Map.of("MaximumConcurrency", 20)));
        maximalTemplate.hasResourceProperties("AWS::Lambda::Function", Map.of(
                "Description", "Processes shipments",
                "MemorySize", 1024,
                "Timeout", 60,
                "Architectures", List.of("x86_64"),
                "Environment", Map.of("Variables", Map.of("TABLE", "shipments")),
                "LoggingConfig", Match.objectLike(Map.of("ApplicationLogLevel", "DEBUG")),
                "ReservedConcurrentExecutions", 25));
        maximalTemplate.hasResourceProperties("AWS::Logs::LogGroup", Map.of("RetentionInDays", 180));
        maximalTemplate.hasResourceProperties("AWS::Lambda::EventInvokeConfig", Map.of(
                "MaximumRetryAttempts", 1, "MaximumEventAgeInSeconds", 3600));
        maximalTemplate.hasResourceProperties("AWS::CloudWatch::Alarm", Map.of(
                "MetricName", "ApproximateAgeOfOldestMessage", "Threshold", 300, "EvaluationPeriods", 3, "DatapointsToAlarm", 2));
        maximalTemplate.hasResourceProperties("AWS::CloudWatch::Alarm", Map.of("MetricName", "Errors", "Threshold", 5, "Period", 60));
    }

    @Test
    void enableRegisteredTheStandardPacks() {
        assertEquals(2, packs.size());
        assertTrue(packs.get(0) instanceof AwsSolutionsChecks);
        assertTrue(packs.get(1) instanceof ServerlessChecks);
    }

    @Test
    void noStandardFindings() {
        assertEquals(List.of(), Support.nagViolations(app, ComplianceProfile.STANDARD));
    }
}
