package io.github.cdkbulwark.consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import io.github.cdkbulwark.ApiMethod;
import io.github.cdkbulwark.ApiThrottleOptions;
import io.github.cdkbulwark.HttpApiAuthorization;
import io.github.cdkbulwark.HttpApiAuthorizationKind;
import io.github.cdkbulwark.HttpApiJwtOptions;
import io.github.cdkbulwark.HttpApiLambdaAuthorizerOptions;
import io.github.cdkbulwark.HttpApiLambdaResponseType;
import io.github.cdkbulwark.HttpApiRouteOptions;
import io.github.cdkbulwark.HttpApiRouteDefinition;
import io.github.cdkbulwark.LatencyAlarmOptions;
import io.github.cdkbulwark.SecureHttpApi;
import io.github.cdkbulwark.SecureHttpApiAlarmsProps;
import io.github.cdkbulwark.ThresholdAlarmOptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.App;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.assertions.Template;
import software.amazon.awscdk.services.apigatewayv2.HttpRoute;
import software.amazon.awscdk.services.cognito.UserPool;
import software.amazon.awscdk.services.cognito.UserPoolClient;
import software.amazon.awscdk.services.lambda.IFunction;

/**
 * SecureHttpApi from Java: HttpApiRouteDefinition routes inside a list, addRoute, every
 * HttpApiAuthorization factory with its HttpApiAuthorizationKind, a list of HttpApiLambdaResponseType
 * enums, the throttle and alarm structs, and grantInvoke.
 */
class SecureHttpApiTest {
    private static final String ISSUER = "https://issuer.example.com/";
    private static SecureHttpApi api;
    private static HttpRoute post;
    private static HttpApiAuthorization cognito;
    private static HttpApiAuthorization lambda;
    private static Template template;

    @BeforeAll
    static void build() {
        Support.Checked checked = new Support.Checked("Http");
        Stack stack = checked.stack;
        IFunction handler = Support.function(stack, "Orders").getLambdaFunction();
        api = SecureHttpApi.Builder.create(stack, "Api")
                .authorization(HttpApiAuthorization.jwt(ISSUER, List.of("orders-api"), HttpApiJwtOptions.builder().scopes(List.of("orders/read")).build()))
                .throttle(ApiThrottleOptions.builder().rateLimit(50).burstLimit(100).build())
                .alarms(SecureHttpApiAlarmsProps.builder()
                        .serverErrorRate(ThresholdAlarmOptions.builder().threshold(0.01).build())
                        .latencyP90(LatencyAlarmOptions.builder().maxLatency(Duration.seconds(1)).build())
                        .build())
                .routes(List.of(HttpApiRouteDefinition.of(ApiMethod.GET, "/orders/{orderId}", handler)))
                .build();
        cognito = HttpApiAuthorization.cognito(UserPool.fromUserPoolId(stack, "Users", Support.USER_POOL_ID),
                List.of(UserPoolClient.fromUserPoolClientId(stack, "Client", "client123")),
                HttpApiJwtOptions.builder().scopes(List.of("orders/write")).build());
        post = api.addRoute(ApiMethod.POST, "/orders", handler, HttpApiRouteOptions.builder().authorization(cognito).build());
        lambda = HttpApiAuthorization.lambdaAuthorizer(Support.function(stack, "Authorizer").getLambdaFunction(),
                HttpApiLambdaAuthorizerOptions.builder().identitySource(List.of("$request.header.X-Tenant"))
                        .responseTypes(List.of(HttpApiLambdaResponseType.SIMPLE)).resultsCacheTtl(Duration.seconds(0)).build());
        api.addRoute(ApiMethod.GET, "/tenants", handler, HttpApiRouteOptions.builder().authorization(lambda).build());
        template = checked.synth();
    }

    /** Synthesized with the STANDARD packs registered: a finding would have failed synthesis. */
    @Test
    void synthesizesAJwtAuthorizedApiAndNoFinding() {
        template.hasResourceProperties("AWS::ApiGatewayV2::Authorizer", Map.of(
                "AuthorizerType", "JWT", "JwtConfiguration", Map.of("Issuer", ISSUER, "Audience", List.of("orders-api"))));
    }

    @Test
    void routesAndAuthorizationGetters() {
        assertTrue(post instanceof HttpRoute);
        assertEquals(3, api.getRoutes().size());
        assertEquals(HttpApiAuthorizationKind.COGNITO, cognito.getKind());
        assertEquals(List.of("orders/write"), cognito.getScopes());
        assertEquals(HttpApiAuthorizationKind.LAMBDA, lambda.getKind());
        assertEquals(List.of(HttpApiLambdaResponseType.SIMPLE), lambda.getResponseTypes());
        assertEquals(0, lambda.getResultsCacheTtl().toSeconds());
    }

    @Test
    void iamAuthorizationAndGrantInvoke() {
        Stack stack = Support.stack(new App(), "Signed");
        HttpApiAuthorization iam = HttpApiAuthorization.iam();
        SecureHttpApi signed = SecureHttpApi.Builder.create(stack, "Api").authorization(iam).build();
        signed.addRoute(ApiMethod.GET, "/reports", Support.function(stack, "Reports").getLambdaFunction());
        assertEquals(HttpApiAuthorizationKind.IAM, iam.getKind());
        assertEquals(HttpApiAuthorizationKind.JWT, HttpApiAuthorization.jwt(ISSUER, List.of("orders-api")).getKind());
        assertTrue(signed.grantInvoke(Support.function(stack, "Caller"), ApiMethod.GET, "/reports").getSuccess());
    }
}
