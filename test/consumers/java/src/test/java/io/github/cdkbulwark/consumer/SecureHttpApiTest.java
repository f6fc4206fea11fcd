package io.github.cdkbulwark.consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import io.github.cdkbulwark.ApiMethod;
import io.github.cdkbulwark.ApiThrottleOptions;
import io.github.cdkbulwark.ComplianceChecks;
import io.github.cdkbulwark.CompliancePolicy;
import io.github.cdkbulwark.ComplianceProfile;
import io.github.cdkbulwark.HttpApiAuthorization;
import io.github.cdkbulwark.HttpApiJwtOptions;
import io.github.cdkbulwark.HttpApiLambdaAuthorizerOptions;
import io.github.cdkbulwark.HttpApiRouteOptions;
import io.github.cdkbulwark.HttpApiRouteProps;
import io.github.cdkbulwark.Monitoring;
import io.github.cdkbulwark.SecureFunction;
import io.github.cdkbulwark.SecureHttpApi;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import software.amazon.awscdk.App;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;
import software.amazon.awscdk.services.apigatewayv2.HttpRoute;
import software.amazon.awscdk.services.cognito.UserPool;
import software.amazon.awscdk.services.cognito.UserPoolClient;
import software.amazon.awscdk.services.lambda.IFunction;

/**
 * SecureHttpApi from Java: a JWT default, routes in the props and through addRoute with Cognito,
 * Lambda and IAM authorization, throttling; one app per profile with ComplianceChecks on. The
 * anonymous route's opt-in finding (AwsSolutions-APIG4) is asserted exactly.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SecureHttpApiTest {
    private static final String ISSUER = "https://issuer.example.com/";

    /** What one profile's app holds. */
    private static final class Built {
        App app;
        Stack stack;
        SecureHttpApi api;
        Map<String, HttpRoute> routes;
        Template template;
    }

    private final Map<ComplianceProfile, Built> built = new EnumMap<>(ComplianceProfile.class);

    private static IFunction function(final Stack stack, final String id) {
        return SecureFunction.Builder.create(stack, id).code(Support.inlineCode()).handler("index.handler").build().getLambdaFunction();
    }

    private static Built build(final ComplianceProfile profile) {
        Built b = new Built();
        b.app = new App();
        CompliancePolicy.setDefaultProfile(b.app, profile);
        ComplianceChecks.enable(b.app);
        b.stack = Support.stack(b.app, (profile == ComplianceProfile.STANDARD ? "Standard" : "Regulated") + "Http");
        Monitoring.Builder.create(b.stack, "Monitoring").emailAddresses(List.of("oncall@example.com")).build();
        IFunction handler = function(b.stack, "Orders");
        b.api = SecureHttpApi.Builder.create(b.stack, "Api")
                .authorization(HttpApiAuthorization.jwt(ISSUER, List.of("orders-api")))
                .throttle(ApiThrottleOptions.builder().rateLimit(50).burstLimit(100).build())
                .routes(List.of(HttpApiRouteProps.builder().method(ApiMethod.GET).path("/orders/{orderId}").handler(handler).build()))
                .build();
        b.routes = Map.of(
                "jwt", b.api.getRoutes().get(0),
                "cognito", b.api.addRoute(ApiMethod.POST, "/orders", handler, HttpApiRouteOptions.builder()
                        .authorization(HttpApiAuthorization.cognito(UserPool.fromUserPoolId(b.stack, "Users", Support.USER_POOL_ID),
                                List.of(UserPoolClient.fromUserPoolClientId(b.stack, "Client", "client123")),
                                HttpApiJwtOptions.builder().scopes(List.of("orders/write")).build()))
                        .build()),
                "lambda", b.api.addRoute(ApiMethod.GET, "/tenants", handler, HttpApiRouteOptions.builder()
                        .authorization(HttpApiAuthorization.lambdaAuthorizer(function(b.stack, "Authorizer"), HttpApiLambdaAuthorizerOptions.builder()
                                .identitySource(List.of("$request.header.X-Tenant")).resultsCacheTtl(Duration.seconds(0)).build()))
                        .build()),
                "iam", b.api.addRoute(ApiMethod.GET, "/reports", handler,
                        HttpApiRouteOptions.builder().authorization(HttpApiAuthorization.iam()).build()));
        b.app.synth(); // runs the profile's packs: any finding fails here
        b.template = Template.fromStack(b.stack);
        return b;
    }

    @BeforeAll
    void build() {
        for (ComplianceProfile profile : List.of(ComplianceProfile.STANDARD, ComplianceProfile.REGULATED)) {
            built.put(profile, build(profile));
        }
    }

    @ParameterizedTest
    @EnumSource(ComplianceProfile.class)
    void defaultStageIsThrottledAndAccessLogged(final ComplianceProfile profile) {
        Built b = built.get(profile);
        assertTrue(Support.hasProperties(b.template, b.api.getStage(), Map.of(
                "StageName", "$default",
                "AutoDeploy", true,
                "DefaultRouteSettings", Match.objectLike(Map.of("ThrottlingRateLimit", 50, "ThrottlingBurstLimit", 100)),
                "AccessLogSettings", Match.objectLike(Map.of("DestinationArn", b.stack.resolve(b.api.getAccessLogGroup().getLogGroupArn()))))));
        assertEquals(3, b.api.getAlarms().size());
    }

    @ParameterizedTest
    @EnumSource(ComplianceProfile.class)
    void authorizationPerRoute(final ComplianceProfile profile) {
        Built b = built.get(profile);
        Map.of("jwt", "JWT", "cognito", "JWT", "lambda", "CUSTOM", "iam", "AWS_IAM").forEach((name, type) ->
                assertTrue(Support.hasProperties(b.template, b.routes.get(name), Map.of("AuthorizationType", type)), name));
        assertTrue(Support.hasProperties(b.template, b.routes.get("cognito"), Map.of("AuthorizationScopes", List.of("orders/write"))));
        b.template.hasResourceProperties("AWS::ApiGatewayV2::Authorizer", Map.of(
                "AuthorizerType", "JWT", "JwtConfiguration", Map.of("Issuer", ISSUER, "Audience", List.of("orders-api"))));
        b.template.hasResourceProperties("AWS::ApiGatewayV2::Authorizer", Map.of(
                "AuthorizerType", "REQUEST", "IdentitySource", List.of("$request.header.X-Tenant"), "AuthorizerResultTtlInSeconds", 0));
    }

    @ParameterizedTest
    @EnumSource(ComplianceProfile.class)
    void noFindingsInTheProfilesPacks(final ComplianceProfile profile) {
        assertEquals(List.of(), Support.nagViolations(built.get(profile).app, profile));
    }

    @ParameterizedTest
    @EnumSource(ComplianceProfile.class)
    void anAnonymousRouteLeavesExactlyApig4(final ComplianceProfile profile) {
        App app = new App();
        CompliancePolicy.setDefaultProfile(app, profile);
        Stack stack = Support.stack(app, "Open");
        SecureHttpApi api = SecureHttpApi.Builder.create(stack, "Api").authorization(HttpApiAuthorization.jwt(ISSUER, List.of("orders-api"))).build();
        HttpRoute route = api.addRoute(ApiMethod.GET, "/health", function(stack, "Health"), HttpApiRouteOptions.builder().allowAnonymous(true).build());
        app.synth();
        assertEquals(List.of("AwsSolutions: AwsSolutions-APIG4 @ " + route.getNode().getDefaultChild().getNode().getPath()),
                Support.nagViolations(app, profile));
    }

    @Test
    void aRouteWithoutAuthorizationIsRefused() {
        Stack stack = Support.stack(new App(), "Errors");
        SecureHttpApi api = new SecureHttpApi(stack, "Api");
        IFunction handler = function(stack, "Handler");
        RuntimeException error = assertThrows(RuntimeException.class, () -> api.addRoute(ApiMethod.GET, "/orders", handler));
        assertTrue(error.getMessage().contains("SecureHttpApi 'Errors/Api': route 'GET /orders' has no authorization."), error.getMessage());
    }
}
