package io.github.cdkbulwark.consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import io.github.cdkbulwark.ComplianceChecks;
import io.github.cdkbulwark.CompliancePolicy;
import io.github.cdkbulwark.ComplianceProfile;
import io.github.cdkbulwark.Monitoring;
import io.github.cdkbulwark.QueueWorker;
import io.github.cdkbulwark.SecureFunction;
import io.github.cdkbulwark.SecureFunctionProps;
import io.github.cdklabs.cdknag.NagPack;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import software.amazon.awscdk.App;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;
import software.amazon.awscdk.services.cloudwatch.GraphWidget;
import software.amazon.awscdk.services.cloudwatch.TextWidget;
import software.amazon.awscdk.services.sqs.Queue;

/**
 * The same system, every construct, in STANDARD and REGULATED: set up the way the README says,
 * synthesized with ComplianceChecks on, then checked again with the profile's packs.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ComplianceTest {
    private App standardApp;
    private List<NagPack> standardPacks;
    private Template standard;
    private App regulatedApp;
    private List<NagPack> regulatedPacks;
    private Template regulated;
    private Monitoring standardMonitoring;

    private Monitoring buildSystem(final App app, final String id) {
        Stack stack = Support.stack(app, id);
        Monitoring monitoring = Monitoring.Builder.create(stack, "Monitoring").emailAddresses(List.of("oncall@example.com")).build();
        monitoring.addEmailSubscription("team@example.com");
        QueueWorker.Builder.create(stack, "Orders")
                .handlerProps(SecureFunctionProps.builder().code(Support.inlineCode()).handler("index.handler").build())
                .build();
        QueueWorker.Builder.create(stack, "Payments")
                .fifo(true)
                .handlerProps(SecureFunctionProps.builder().code(Support.inlineCode()).handler("index.handler")
                        .timeout(Duration.seconds(20)).build())
                .build();
        SecureFunction api = SecureFunction.Builder.create(stack, "Api")
                .code(Support.inlineCode()).handler("index.handler").memorySize(256).build();
        // Varargs widgets.
        monitoring.addSection("Business", TextWidget.Builder.create().markdown("Orders per minute").width(12).build(),
                GraphWidget.Builder.create().title("API invocations").left(List.of(api.metricInvocations())).width(12).build());
        return monitoring;
    }

    @BeforeAll
    void build() {
        standardApp = new App();
        standardPacks = ComplianceChecks.enable(standardApp);
        standardMonitoring = buildSystem(standardApp, "Standard");
        standardApp.synth();
        standard = Template.fromStack((Stack) standardApp.getNode().findChild("Standard"));

        regulatedApp = new App();
        CompliancePolicy.setDefaultProfile(regulatedApp, ComplianceProfile.REGULATED);
        regulatedPacks = ComplianceChecks.enable(regulatedApp);
        buildSystem(regulatedApp, "Regulated");
        regulatedApp.synth();
        regulated = Template.fromStack((Stack) regulatedApp.getNode().findChild("Regulated"));
    }

    private static List<String> names(final List<NagPack> packs) {
        return packs.stream().map(NagPack::getReadPackName).collect(Collectors.toList());
    }

    @Test
    void packsForEachProfile() {
        assertEquals(List.of("AwsSolutions", "Serverless"), names(ComplianceChecks.packsFor(ComplianceProfile.STANDARD)));
        assertEquals(List.of("AwsSolutions", "Serverless", "HIPAA.Security", "NIST.800.53.R5", "PCI.DSS.321"),
                names(ComplianceChecks.packsFor(ComplianceProfile.REGULATED, true)));
    }

    @Test
    void standardHasNoStandardFindings() {
        assertEquals(List.of("AwsSolutions", "Serverless"), names(standardPacks));
        assertEquals(List.of(), Support.nagViolations(standardApp, ComplianceProfile.STANDARD));
    }

    @Test
    void standardReportsRegulatedTradeOffs() {
        List<String> findings = Support.nagViolations(standardApp, ComplianceProfile.REGULATED);
        assertFalse(findings.isEmpty());
        for (String finding : findings) {
            assertTrue(finding.startsWith("HIPAA.Security:") || finding.startsWith("NIST.800.53.R5:") || finding.startsWith("PCI.DSS.321:"), finding);
        }
    }

    @Test
    void regulatedHasNoFindingsInAllFivePacks() {
        assertEquals(5, regulatedPacks.size());
        assertEquals(List.of(), Support.nagViolations(regulatedApp, ComplianceProfile.REGULATED));
    }

    @Test
    void standardTemplate() {
        standard.resourceCountIs("AWS::EC2::VPC", 0);
        standard.resourceCountIs("AWS::SNS::Subscription", 2);
        standard.resourceCountIs("AWS::CloudWatch::Dashboard", 1);
        standard.hasResourceProperties("AWS::SNS::Subscription", Map.of(
                "Protocol", "email", "Endpoint", "team@example.com",
                "RedrivePolicy", Map.of("deadLetterTargetArn", Match.anyValue())));
        standard.hasResourceProperties("AWS::Lambda::Function", Map.of(
                "MemorySize", 256, "ReservedConcurrentExecutions", Match.absent()));
        assertNotNull(standardMonitoring.getSubscriptionDeadLetterQueue());
        assertEquals("Standard/Monitoring", Monitoring.of(standardMonitoring).getNode().getPath());
    }

    @Test
    void regulatedTemplate() {
        regulated.resourceCountIs("AWS::KMS::Key", 1);
        regulated.hasResourceProperties("AWS::KMS::Key", Map.of("EnableKeyRotation", true));
        regulated.resourceCountIs("AWS::EC2::VPC", 1);
        regulated.resourceCountIs("AWS::EC2::NatGateway", 0);
        regulated.hasResourceProperties("AWS::SQS::Queue", Map.of("FifoQueue", true, "KmsMasterKeyId", Match.anyValue()));
        regulated.hasResourceProperties("AWS::Lambda::Function", Map.of(
                "ReservedConcurrentExecutions", 10,
                "VpcConfig", Match.objectLike(Map.of("SubnetIds", Match.anyValue())),
                "KmsKeyArn", Match.anyValue()));
        regulated.resourceCountIs("AWS::IAM::Policy", 0);
    }

    @Test
    void aFindingOfYourOwnFailsSynthesis() {
        App app = new App();
        ComplianceChecks.enable(app);
        Stack stack = Support.stack(app, "Unchecked");
        new Queue(stack, "PlainQueue");
        RuntimeException error = assertThrows(RuntimeException.class, app::synth);
        assertTrue(error.getMessage().contains("ValidationFailed"), error.getMessage());
    }
}
