package io.github.cdkbulwark.consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import io.github.cdkbulwark.ApiAuthorization;
import io.github.cdkbulwark.ApiAuthorizationKind;
import io.github.cdkbulwark.ApiCloudWatchRole;
import io.github.cdkbulwark.ApiDomainOptions;
import io.github.cdkbulwark.ApiMethod;
import io.github.cdkbulwark.ApiRoute;
import io.github.cdkbulwark.ApiRouteOptions;
import io.github.cdkbulwark.ApiRouteDefinition;
import io.github.cdkbulwark.ApiThrottleOptions;
import io.github.cdkbulwark.ApiUsagePlanOptions;
import io.github.cdkbulwark.CognitoApiAuthorizationOptions;
import io.github.cdkbulwark.LambdaRequestAuthorizationOptions;
import io.github.cdkbulwark.LambdaTokenAuthorizationOptions;
import io.github.cdkbulwark.LatencyAlarmOptions;
import io.github.cdkbulwark.SecureApi;
import io.github.cdkbulwark.SecureApiAlarmsProps;
import io.github.cdkbulwark.ThresholdAlarmOptions;
import io.github.cdkbulwark.WebFirewallOptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.Acknowledgment;
import software.amazon.awscdk.App;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.Validations;
import software.amazon.awscdk.assertions.Template;
import software.amazon.awscdk.services.apigateway.ApiKey;
import software.amazon.awscdk.services.apigateway.IdentitySource;
import software.amazon.awscdk.services.apigateway.JsonSchema;
import software.amazon.awscdk.services.apigateway.JsonSchemaType;
import software.amazon.awscdk.services.apigateway.Method;
import software.amazon.awscdk.services.apigateway.Period;
import software.amazon.awscdk.services.apigateway.QuotaSettings;
import software.amazon.awscdk.services.apigateway.UsagePlan;
import software.amazon.awscdk.services.certificatemanager.Certificate;
import software.amazon.awscdk.services.cognito.IUserPool;
import software.amazon.awscdk.services.cognito.UserPool;
import software.amazon.awscdk.services.iam.Grant;
import software.amazon.awscdk.services.lambda.IFunction;
import software.constructs.IConstruct;

/**
 * SecureApi from Java: ApiRouteDefinition routes inside a list, addRoute returning an ApiRoute struct,
 * every ApiAuthorization factory with its ApiAuthorizationKind, the ApiMethod and ApiCloudWatchRole
 * enums, the firewall, throttle, domain and alarm structs, a usage plan, a user's acknowledgement
 * placed on a route's method, and grantInvoke.
 */
class SecureApiTest {
    private static SecureApi api;
    private static ApiRoute byId;
    private static Grant grant;
    private static UsagePlan plan;
    private static Template template;

    @BeforeAll
    static void build() {
        Support.Checked checked = new Support.Checked("Api");
        Stack stack = checked.stack;
        IUserPool pool = UserPool.fromUserPoolId(stack, "Users", Support.USER_POOL_ID);
        IFunction orders = Support.function(stack, "Orders").getLambdaFunction();
        api = SecureApi.Builder.create(stack, "OrdersApi")
                .userPool(pool)
                .cloudWatchRole(ApiCloudWatchRole.EXISTING)
                .throttle(ApiThrottleOptions.builder().rateLimit(200).burstLimit(400).build())
                .firewall(WebFirewallOptions.builder().rateLimit(500).rateLimitWindow(Duration.minutes(1)).blockLargeBodies(true).build())
                .domain(ApiDomainOptions.builder().domainName("api.example.com").basePath("v1").certificate(Certificate.fromCertificateArn(
                        stack, "Certificate", "arn:aws:acm:eu-west-1:123456789012:certificate/abc")).build())
                .alarms(SecureApiAlarmsProps.builder()
                        .latencyP90(LatencyAlarmOptions.builder().maxLatency(Duration.seconds(1)).build())
                        .clientErrorRate(ThresholdAlarmOptions.builder().enabled(false).build())
                        .build())
                .routes(List.of(
                        ApiRouteDefinition.of(ApiMethod.GET, "/orders", orders,
                                ApiRouteOptions.builder().requiredQueryStrings(List.of("status")).build()),
                        ApiRouteDefinition.of(ApiMethod.POST, "/orders", orders, ApiRouteOptions.builder().apiKeyRequired(true)
                                .requestSchema(JsonSchema.builder().type(JsonSchemaType.OBJECT).required(List.of("sku")).build()).build())))
                .build();
        byId = api.addRoute(ApiMethod.GET, "/orders/{orderId}", orders, ApiRouteOptions.builder()
                .authorization(ApiAuthorization.cognito(pool, CognitoApiAuthorizationOptions.builder()
                        .scopes(List.of("orders/read")).resultsCacheTtl(Duration.minutes(1)).build()))
                .build());
        // IAM is the user's opt-in (AwsSolutions-COG4): acknowledged where the finding is, the route's method.
        ApiRoute admin = api.addRoute(ApiMethod.POST, "/admin", orders, ApiRouteOptions.builder().authorization(ApiAuthorization.iam()).build());
        Validations.of((IConstruct) admin.getApiMethod().getNode().getDefaultChild()).acknowledge(Acknowledgment.builder()
                .id("AwsSolutions-COG4").reason("Service-to-service route: callers sign with SigV4 (IAM).").build());
        grant = api.grantInvoke(Support.function(stack, "Caller"), ApiMethod.POST, "/admin");
        plan = api.addUsagePlan("Partners", ApiUsagePlanOptions.builder()
                .apiKeys(List.of(new ApiKey(stack, "PartnerKey")))
                .throttle(ApiThrottleOptions.builder().rateLimit(10).burstLimit(20).build())
                .quota(QuotaSettings.builder().limit(10000).period(Period.MONTH).build())
                .build());
        template = checked.synth();
    }

    /** Synthesized with the STANDARD packs registered: a finding (other than the acknowledged opt-in) would have failed synthesis. */
    @Test
    void synthesizesACognitoAuthorizedApiBehindAFirewallAndNoFinding() {
        template.resourceCountIs("AWS::WAFv2::WebACLAssociation", 1);
        template.hasResourceProperties("AWS::ApiGateway::Method", Map.of("HttpMethod", "GET", "AuthorizationType", "COGNITO_USER_POOLS"));
    }

    @Test
    void routesComeBackAsStructs() {
        assertEquals(List.of("GET /orders", "POST /orders", "GET /orders/{orderId}", "POST /admin"),
                api.getRoutes().stream().map(r -> r.getMethod() + " " + r.getPath()).collect(Collectors.toList()));
        assertTrue(byId.getApiMethod() instanceof Method);
        assertEquals(List.of(ApiAuthorizationKind.COGNITO, ApiAuthorizationKind.COGNITO, ApiAuthorizationKind.COGNITO, ApiAuthorizationKind.IAM),
                api.getRoutes().stream().map(r -> r.getAuthorization().getKind()).collect(Collectors.toList()));
        assertTrue(grant.getSuccess());
        assertTrue(plan != null);
        assertEquals(3, api.getAlarms().size()); // client error rate switched off through the struct
    }

    @Test
    void everyAuthorizationFactory() {
        Stack stack = Support.stack(new App(), "Kinds");
        IFunction authorizer = Support.function(stack, "Authorizer").getLambdaFunction();
        assertEquals(List.of(ApiAuthorizationKind.COGNITO, ApiAuthorizationKind.IAM, ApiAuthorizationKind.LAMBDA_TOKEN,
                ApiAuthorizationKind.LAMBDA_REQUEST), List.of(
                ApiAuthorization.cognito(UserPool.fromUserPoolId(stack, "Users", Support.USER_POOL_ID)).getKind(),
                ApiAuthorization.iam().getKind(),
                ApiAuthorization.lambdaToken(authorizer, LambdaTokenAuthorizationOptions.builder()
                        .headerName("X-Token").validationRegex("^Bearer .+$").resultsCacheTtl(Duration.seconds(0)).build()).getKind(),
                ApiAuthorization.lambdaRequest(authorizer, List.of(IdentitySource.header("X-Tenant")),
                        LambdaRequestAuthorizationOptions.builder().resultsCacheTtl(Duration.minutes(1)).build()).getKind()));
    }
}
