package io.github.cdkbulwark.consumer;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import io.github.cdkbulwark.ComplianceChecks;
import io.github.cdkbulwark.ComplianceProfile;
import io.github.cdklabs.cdknag.NagPack;
import software.amazon.awscdk.App;
import software.amazon.awscdk.CfnElement;
import software.amazon.awscdk.Environment;
import software.amazon.awscdk.PolicyValidationPluginReport;
import software.amazon.awscdk.PolicyViolatingResource;
import software.amazon.awscdk.PolicyViolation;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;
import software.amazon.awscdk.services.lambda.Code;
import software.constructs.IConstruct;

/** What a Java user of cdk-bulwark writes around the constructs. */
final class Support {
    static final String INLINE_HANDLER = "exports.handler = async () => ({ batchItemFailures: [] });";

    private Support() {
    }

    static Stack stack(final App app, final String id) {
        return new Stack(app, id, StackProps.builder()
                .env(Environment.builder().account("123456789012").region("eu-west-1").build())
                .build());
    }

    static Code inlineCode() {
        return Code.fromInline(INLINE_HANDLER);
    }

    /** Runs the profile's cdk-nag packs over a synthesized app: one "pack: rule @ path" per finding. */
    static List<String> nagViolations(final App app, final ComplianceProfile profile) {
        List<String> found = new ArrayList<>();
        for (NagPack pack : ComplianceChecks.packsFor(profile)) {
            PolicyValidationPluginReport report = pack.validateScope(app);
            for (PolicyViolation violation : report.getViolations()) {
                for (PolicyViolatingResource resource : violation.getViolatingResources()) {
                    found.add(pack.getReadPackName() + ": " + violation.getRuleName() + " @ " + resource.getConstructPath());
                }
            }
        }
        Collections.sort(found);
        return found;
    }

    /** The logical id of a construct's default child. */
    static String logicalId(final IConstruct construct) {
        return Stack.of(construct).getLogicalId((CfnElement) construct.getNode().getDefaultChild());
    }

    /** Whether an inline or managed policy attached to the role holds a statement like this one. */
    static boolean roleHasStatement(final Template template, final Object roleRef, final Map<String, Object> statement) {
        Map<String, Object> policy = Map.of("Properties", Match.objectLike(Map.of(
                "Roles", Match.arrayWith(List.of(roleRef)),
                "PolicyDocument", Match.objectLike(Map.of("Statement", Match.arrayWith(List.of(Match.objectLike(statement))))))));
        return !template.findResources("AWS::IAM::Policy", policy).isEmpty()
                || !template.findResources("AWS::IAM::ManagedPolicy", policy).isEmpty();
    }
}
