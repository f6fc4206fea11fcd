package io.github.cdkbulwark.consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.stream.Collectors;

import io.github.cdkbulwark.ComplianceChecks;
import io.github.cdkbulwark.ComplianceChecksOptions;
import io.github.cdkbulwark.CompliancePolicy;
import io.github.cdkbulwark.ComplianceProfile;
import io.github.cdkbulwark.SecureTopic;
import io.github.cdkbulwark.SecureTopicProps;
import io.github.cdklabs.cdknag.AwsSolutionsChecks;
import io.github.cdklabs.cdknag.NagPack;
import io.github.cdklabs.cdknag.ServerlessChecks;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.App;
import software.amazon.awscdk.PolicyValidationPluginReport;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.sqs.Queue;

/**
 * ComplianceChecks and CompliancePolicy from Java: the static methods, the ComplianceProfile enum,
 * cdk-nag's pack objects handed back and run from Java, and a finding failing synthesis as an
 * exception. (Each construct's test synthesizes it with the STANDARD packs registered.)
 */
class ComplianceTest {
    @Test
    void packsForEachProfileAreCdkNagPacks() {
        List<NagPack> standard = ComplianceChecks.packsFor(ComplianceProfile.STANDARD);
        assertTrue(standard.get(0) instanceof AwsSolutionsChecks && standard.get(1) instanceof ServerlessChecks);
        assertEquals(List.of("AwsSolutions", "Serverless", "HIPAA.Security", "NIST.800.53.R5", "PCI.DSS.321"),
                ComplianceChecks.packsFor(ComplianceProfile.REGULATED, true).stream().map(NagPack::getReadPackName).collect(Collectors.toList()));
    }

    @Test
    void aFindingOfYourOwnFailsSynthesisAndThePacksReportIt() {
        App app = new App();
        List<NagPack> packs = ComplianceChecks.enable(app, ComplianceChecksOptions.builder().profile(ComplianceProfile.STANDARD).verbose(true).build());
        new Queue(Support.stack(app, "Unchecked"), "PlainQueue"); // no dead-letter queue, no TLS policy
        RuntimeException error = assertThrows(RuntimeException.class, app::synth);
        assertTrue(error.getMessage().contains("ValidationFailed"), error.getMessage());
        PolicyValidationPluginReport report = packs.get(0).validateScope(app);
        assertTrue(report.getViolations().stream().anyMatch(v -> v.getRuleName().equals("AwsSolutions-SQS4")));
        assertEquals("Unchecked/PlainQueue/Resource", report.getViolations().get(0).getViolatingResources().get(0).getConstructPath());
    }

    @Test
    void theAppsDefaultProfileAndAnExplicitOne() {
        App app = new App();
        CompliancePolicy.setDefaultProfile(app, ComplianceProfile.REGULATED);
        Stack stack = Support.stack(app, "Mixed");
        assertEquals(ComplianceProfile.REGULATED, CompliancePolicy.resolve(stack));
        assertEquals(ComplianceProfile.STANDARD, CompliancePolicy.resolve(stack, ComplianceProfile.STANDARD));
        assertEquals(ComplianceProfile.REGULATED, new SecureTopic(stack, "Regulated").getComplianceProfile());
        assertEquals(ComplianceProfile.STANDARD, new SecureTopic(stack, "Standard",
                SecureTopicProps.builder().complianceProfile(ComplianceProfile.STANDARD).build()).getComplianceProfile());
    }
}
