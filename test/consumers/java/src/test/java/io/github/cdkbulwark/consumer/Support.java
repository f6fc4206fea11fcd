package io.github.cdkbulwark.consumer;

import java.util.List;

import io.github.cdkbulwark.ComplianceChecks;
import io.github.cdkbulwark.SecureFunction;
import io.github.cdkbulwark.SecureFunctionProps;
import io.github.cdklabs.cdknag.NagPack;
import software.amazon.awscdk.App;
import software.amazon.awscdk.Environment;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.assertions.Template;
import software.amazon.awscdk.services.lambda.Code;

/**
 * What a Java user of cdk-bulwark writes around the constructs, written once for every test.
 * Template details are the TypeScript suite's job: these tests prove the jsii boundary and that each
 * construct synthesizes from Java with the STANDARD cdk-nag packs finding nothing.
 */
final class Support {
    /** An imported Cognito user pool (UserPool.fromUserPoolId) for the API constructs' authorizers. */
    static final String USER_POOL_ID = "eu-west-1_abcdefghi";

    private Support() {
    }

    static Stack stack(final App app, final String id) {
        return new Stack(app, id, StackProps.builder()
                .env(Environment.builder().account("123456789012").region("eu-west-1").build())
                .build());
    }

    static SecureFunctionProps handlerProps() {
        return SecureFunctionProps.builder()
                .code(Code.fromInline("exports.handler = async () => ({ batchItemFailures: [] });"))
                .handler("index.handler")
                .build();
    }

    static SecureFunction function(final Stack stack, final String id) {
        return new SecureFunction(stack, id, handlerProps());
    }

    /**
     * An app with the STANDARD packs registered the README's way (ComplianceChecks.enable right after
     * new App()) and a stack in it; {@link #synth()} fails on any unacknowledged finding.
     */
    static final class Checked {
        final App app = new App();
        final List<NagPack> packs = ComplianceChecks.enable(app);
        final Stack stack;

        Checked(final String stackId) {
            stack = stack(app, stackId);
        }

        Template synth() {
            app.synth();
            return Template.fromStack(stack);
        }
    }
}
