package io.github.cdkbulwark.consumer;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.github.cdkbulwark.ApiRoute;
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
import software.amazon.awscdk.assertions.Annotations;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;
import software.amazon.awscdk.cxapi.SynthesisMessage;
import software.amazon.awscdk.services.lambda.Code;
import software.constructs.IConstruct;

/** What a Java user of cdk-bulwark writes around the constructs. */
final class Support {
    static final String INLINE_HANDLER = "exports.handler = async () => ({ batchItemFailures: [] });";
    /** An imported Cognito user pool (UserPool.fromUserPoolId) for the API constructs' authorizers. */
    static final String USER_POOL_ID = "eu-west-1_abcdefghi";
    /** The warning of a stack whose SecureApi sets API Gateway's account-level CloudWatch role. */
    static final String ACCOUNT_ROLE_WARNING = "cdk-bulwark:api:sets-account-cloudwatch-role";
    private static final Pattern ACK = Pattern.compile("\\[ack: ([^\\]]+)\\]");

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

    /** The logical id of a construct's default child (or of the construct, when it is a CloudFormation element). */
    static String logicalId(final IConstruct construct) {
        CfnElement element = construct instanceof CfnElement ? (CfnElement) construct : (CfnElement) construct.getNode().getDefaultChild();
        return Stack.of(construct).getLogicalId(element);
    }

    /** The template entry (Type, Properties, DependsOn, ...) of a construct. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> resourceOf(final Template template, final IConstruct construct) {
        Map<String, Object> resources = (Map<String, Object>) template.toJSON().get("Resources");
        return (Map<String, Object>) resources.get(logicalId(construct));
    }

    /** Whether the construct's resource has these properties (matched as CDK's Match.objectLike does, in the template's own types). */
    static boolean hasProperties(final Template template, final IConstruct construct, final Map<String, Object> properties) {
        String type = (String) resourceOf(template, construct).get("Type");
        return template.findResources(type, Map.of("Properties", Match.objectLike(properties))).containsKey(logicalId(construct));
    }

    /** Whether the API Gateway method of a SecureApi route has these properties. */
    static boolean routeHas(final Template template, final ApiRoute route, final Map<String, Object> properties) {
        return hasProperties(template, route.getApiMethod(), properties);
    }

    /** The ids of the (unacknowledged) warnings of a stack and its constructs ("[ack: id]" in each message). */
    static List<String> warningIds(final Stack stack) {
        List<String> ids = new ArrayList<>();
        for (SynthesisMessage message : Annotations.fromStack(stack).findWarning("*", Match.anyValue())) {
            Matcher matcher = ACK.matcher(String.valueOf(message.getEntry().getData()));
            while (matcher.find()) {
                ids.add(matcher.group(1));
            }
        }
        Collections.sort(ids);
        return ids;
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
