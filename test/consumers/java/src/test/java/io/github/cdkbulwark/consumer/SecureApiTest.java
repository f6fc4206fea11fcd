package io.github.cdkbulwark.consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import io.github.cdkbulwark.ApiAuthorization;
import io.github.cdkbulwark.ApiAuthorizationKind;
import io.github.cdkbulwark.ApiCloudWatchRole;
import io.github.cdkbulwark.ApiMethod;
import io.github.cdkbulwark.ApiRoute;
import io.github.cdkbulwark.ApiRouteOptions;
import io.github.cdkbulwark.ApiRouteProps;
import io.github.cdkbulwark.ApiThrottleOptions;
import io.github.cdkbulwark.ApiUsagePlanOptions;
import io.github.cdkbulwark.CognitoApiAuthorizationOptions;
import io.github.cdkbulwark.ComplianceChecks;
import io.github.cdkbulwark.CompliancePolicy;
import io.github.cdkbulwark.ComplianceProfile;
import io.github.cdkbulwark.LambdaTokenAuthorizationOptions;
import io.github.cdkbulwark.LatencyAlarmOptions;
import io.github.cdkbulwark.Monitoring;
import io.github.cdkbulwark.SecureApi;
import io.github.cdkbulwark.SecureApiAlarmsProps;
import io.github.cdkbulwark.SecureFunction;
import io.github.cdkbulwark.ThresholdAlarmOptions;
import io.github.cdkbulwark.WebFirewallOptions;
import io.github.cdklabs.cdknag.NagPack;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import software.amazon.awscdk.Acknowledgment;
import software.amazon.awscdk.App;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.Validations;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;
import software.amazon.awscdk.services.apigateway.ApiKey;
import software.amazon.awscdk.services.apigateway.IdentitySource;
import software.amazon.awscdk.services.apigateway.JsonSchema;
import software.amazon.awscdk.services.apigateway.JsonSchemaType;
import software.amazon.awscdk.services.apigateway.Period;
import software.amazon.awscdk.services.apigateway.QuotaSettings;
import software.amazon.awscdk.services.apigateway.UsagePlan;
import software.amazon.awscdk.services.cognito.IUserPool;
import software.amazon.awscdk.services.cognito.UserPool;
import software.amazon.awscdk.services.iam.Grant;
import software.amazon.awscdk.services.lambda.IFunction;

/**
 * SecureApi from Java: routes in the props and through addRoute, every kind of ApiAuthorization
 * (cognito, iam, lambdaToken, lambdaRequest) and an anonymous route, WebFirewallOptions,
 * ApiThrottleOptions, tuned alarms, addUsagePlan, grantInvoke, and the account CloudWatch role
 * (ApiCloudWatchRole). Two apps per profile, each synthesized once: the orders system with
 * ComplianceChecks on (any finding fails synthesis), and every authorization kind without the
 * checks, whose opt-in findings are asserted exactly.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SecureApiTest {
    /** What one profile's apps hold. */
    private static final class Built {
        App app;
        List<NagPack> packs;
        Stack stack;
        IUserPool pool;
        SecureFunction orders;
        SecureApi api;
        ApiRoute byId;
        ApiKey key;
        UsagePlan plan;
        Template template;
        Stack catalogStack;
        SecureApi catalog;
        Template catalogTemplate;
        // Every authorization kind.
        App kindsApp;
        Stack kindsStack;
        SecureApi kindsApi;
        Map<String, ApiRoute> routes;
        SecureFunction caller;
        Grant grant;
        Template kindsTemplate;
    }

    private final Map<ComplianceProfile, Built> built = new EnumMap<>(ComplianceProfile.class);

    private static SecureFunction function(final Stack stack, final String id) {
        return SecureFunction.Builder.create(stack, id).code(Support.inlineCode()).handler("index.handler").build();
    }

    private static IUserPool pool(final Stack stack) {
        return UserPool.fromUserPoolId(stack, "Users", Support.USER_POOL_ID);
    }

    private static String prefix(final ComplianceProfile profile) {
        return profile == ComplianceProfile.STANDARD ? "Standard" : "Regulated";
    }

    private static void buildOrders(final ComplianceProfile profile, final Built b) {
        b.app = new App();
        CompliancePolicy.setDefaultProfile(b.app, profile);
        b.packs = ComplianceChecks.enable(b.app);

        // The orders API: routes in the props, one more with addRoute, a usage plan.
        b.stack = Support.stack(b.app, prefix(profile) + "Orders");
        Monitoring.Builder.create(b.stack, "Monitoring").emailAddresses(List.of("oncall@example.com")).build();
        b.pool = pool(b.stack);
        b.orders = function(b.stack, "Orders");
        IFunction handler = b.orders.getLambdaFunction();
        b.api = SecureApi.Builder.create(b.stack, "OrdersApi")
                .userPool(b.pool)
                .description("Orders")
                .throttle(ApiThrottleOptions.builder().rateLimit(200).burstLimit(400).build())
                .firewall(WebFirewallOptions.builder()
                        .rateLimit(500).rateLimitWindow(Duration.minutes(1)).blockLargeBodies(true)
                        .countRules(List.of("NoUserAgent_HEADER")).build())
                .alarms(SecureApiAlarmsProps.builder()
                        .latencyP90(LatencyAlarmOptions.builder().maxLatency(Duration.seconds(1)).build())
                        .throttledRequests(ThresholdAlarmOptions.builder().threshold(5).build())
                        .clientErrorRate(ThresholdAlarmOptions.builder().enabled(false).build())
                        .build())
                .routes(List.of(
                        ApiRouteProps.builder().method(ApiMethod.GET).path("/orders").handler(handler)
                                .requiredQueryStrings(List.of("status")).build(),
                        ApiRouteProps.builder().method(ApiMethod.POST).path("/orders").handler(handler)
                                .apiKeyRequired(true)
                                .requiredHeaders(List.of("Idempotency-Key"))
                                .requestSchema(JsonSchema.builder().type(JsonSchemaType.OBJECT).required(List.of("sku"))
                                        .properties(Map.of("sku", JsonSchema.builder().type(JsonSchemaType.STRING).build())).build())
                                .build()))
                .build();
        b.byId = b.api.addRoute(ApiMethod.GET, "/orders/{orderId}", handler, ApiRouteOptions.builder()
                .authorization(ApiAuthorization.cognito(b.pool, CognitoApiAuthorizationOptions.builder()
                        .scopes(List.of("orders/read")).resultsCacheTtl(Duration.minutes(1)).build()))
                .build());
        b.key = new ApiKey(b.stack, "PartnerKey");
        b.plan = b.api.addUsagePlan("Partners", ApiUsagePlanOptions.builder()
                .apiKeys(List.of(b.key))
                .description("Partner integrations")
                .throttle(ApiThrottleOptions.builder().rateLimit(10).burstLimit(20).build())
                .quota(QuotaSettings.builder().limit(10000).period(Period.MONTH).build())
                .build());

        // Proxy mode in a second stack of the same environment, with the account role set above.
        b.catalogStack = Support.stack(b.app, prefix(profile) + "Catalog");
        Monitoring.Builder.create(b.catalogStack, "Monitoring").emailAddresses(List.of("oncall@example.com")).build();
        b.catalog = SecureApi.Builder.create(b.catalogStack, "CatalogApi")
                .userPool(pool(b.catalogStack))
                .defaultHandler(function(b.catalogStack, "Catalog").getLambdaFunction())
                .cloudWatchRole(ApiCloudWatchRole.EXISTING)
                .build();

        b.app.synth(); // runs the profile's packs: any finding fails here
        b.template = Template.fromStack(b.stack);
        b.catalogTemplate = Template.fromStack(b.catalogStack);
    }

    private static void buildKinds(final ComplianceProfile profile, final Built b) {
        b.kindsApp = new App();
        CompliancePolicy.setDefaultProfile(b.kindsApp, profile);
        Stack stack = Support.stack(b.kindsApp, prefix(profile) + "Kinds");
        b.kindsStack = stack;
        Monitoring.Builder.create(stack, "Monitoring").emailAddresses(List.of("oncall@example.com")).build();
        IFunction authorizer = function(stack, "Authorizer").getLambdaFunction();
        IFunction handler = function(stack, "Handler").getLambdaFunction();
        b.kindsApi = SecureApi.Builder.create(stack, "Api")
                .cloudWatchRole(ApiCloudWatchRole.EXISTING)
                .authorization(ApiAuthorization.lambdaToken(authorizer, LambdaTokenAuthorizationOptions.builder()
                        .headerName("X-Token").validationRegex("^Bearer .+$").resultsCacheTtl(Duration.seconds(0)).build()))
                .build();
        b.routes = Map.of(
                "token", b.kindsApi.addRoute(ApiMethod.GET, "/orders", handler),
                "request", b.kindsApi.addRoute(ApiMethod.GET, "/tenants", handler, ApiRouteOptions.builder()
                        .authorization(ApiAuthorization.lambdaRequest(authorizer,
                                List.of(IdentitySource.header("X-Tenant"), IdentitySource.context("sourceIp"))))
                        .build()),
                "iam", b.kindsApi.addRoute(ApiMethod.POST, "/admin", handler,
                        ApiRouteOptions.builder().authorization(ApiAuthorization.iam()).build()),
                "cognito", b.kindsApi.addRoute(ApiMethod.GET, "/reports/{reportId}", handler,
                        ApiRouteOptions.builder().authorization(ApiAuthorization.cognito(pool(stack))).build()),
                "anonymous", b.kindsApi.addRoute(ApiMethod.GET, "/health", handler,
                        ApiRouteOptions.builder().allowAnonymous(true).build()));
        b.caller = function(stack, "Caller");
        b.grant = b.kindsApi.grantInvoke(b.caller, ApiMethod.POST, "/admin");
        b.kindsApp.synth();
        b.kindsTemplate = Template.fromStack(stack);
    }

    @BeforeAll
    void build() {
        for (ComplianceProfile profile : List.of(ComplianceProfile.STANDARD, ComplianceProfile.REGULATED)) {
            Built b = new Built();
            buildOrders(profile, b);
            buildKinds(profile, b);
            built.put(profile, b);
        }
    }

    // --- The API and its stage ------------------------------------------------------------------

    @ParameterizedTest
    @EnumSource(ComplianceProfile.class)
    void regionalApiWhoseStageTracesLogsAndThrottles(final ComplianceProfile profile) {
        Built b = built.get(profile);
        assertEquals(profile, b.api.getComplianceProfile());
        assertTrue(Support.hasProperties(b.template, b.api.getApi(), Map.of(
                "EndpointConfiguration", Map.of("Types", List.of("REGIONAL")),
                "Description", "Orders")));
        assertTrue(Support.hasProperties(b.template, b.api.getStage(), Map.of(
                "StageName", "prod",
                "TracingEnabled", true,
                "AccessLogSetting", Match.objectLike(Map.of("DestinationArn", b.stack.resolve(b.api.getAccessLogGroup().getLogGroupArn()))),
                "MethodSettings", List.of(Match.objectLike(Map.of(
                        "LoggingLevel", "ERROR",
                        "DataTraceEnabled", false,
                        "ThrottlingRateLimit", 200,
                        "ThrottlingBurstLimit", 400))))));
        for (var group : List.of(b.api.getAccessLogGroup(), b.api.getExecutionLogGroup())) {
            assertEquals("Retain", Support.resourceOf(b.template, group).get("DeletionPolicy"));
            assertTrue(Support.hasProperties(b.template, group, Map.of(
                    "RetentionInDays", 365,
                    "KmsKeyId", profile == ComplianceProfile.REGULATED ? Match.anyValue() : Match.absent())));
        }
    }

    // --- Routes and authorization ---------------------------------------------------------------

    @ParameterizedTest
    @EnumSource(ComplianceProfile.class)
    void everyRouteIsAuthorizedByTheUserPool(final ComplianceProfile profile) {
        Built b = built.get(profile);
        List<ApiRoute> routes = b.api.getRoutes();
        assertEquals(List.of("GET /orders", "POST /orders", "GET /orders/{orderId}"),
                routes.stream().map(r -> r.getMethod() + " " + r.getPath()).collect(Collectors.toList()));
        for (ApiRoute route : routes) {
            assertEquals(ApiAuthorizationKind.COGNITO, route.getAuthorization().getKind());
            assertTrue(Support.routeHas(b.template, route, Map.of("AuthorizationType", "COGNITO_USER_POOLS")));
        }
        assertTrue(Support.routeHas(b.template, routes.get(0), Map.of("AuthorizationScopes", Match.absent())));
        assertTrue(Support.routeHas(b.template, b.byId, Map.of("AuthorizationScopes", List.of("orders/read"))));
        b.template.resourceCountIs("AWS::ApiGateway::Authorizer", 2);
        for (int ttl : List.of(300, 60)) {
            b.template.hasResourceProperties("AWS::ApiGateway::Authorizer", Map.of(
                    "Type", "COGNITO_USER_POOLS",
                    "ProviderARNs", List.of(b.stack.resolve(b.pool.getUserPoolArn())),
                    "IdentitySource", "method.request.header.Authorization",
                    "AuthorizerResultTtlInSeconds", ttl));
        }
    }

    @ParameterizedTest
    @EnumSource(ComplianceProfile.class)
    void requestsAreValidated(final ComplianceProfile profile) {
        Built b = built.get(profile);
        List<ApiRoute> routes = b.api.getRoutes();
        Map<String, Object> validator = Map.of("Ref", Support.logicalId(b.api.getRequestValidator()));
        assertTrue(Support.hasProperties(b.template, b.api.getRequestValidator(), Map.of(
                "ValidateRequestBody", true, "ValidateRequestParameters", true)));
        assertTrue(Support.routeHas(b.template, routes.get(0), Map.of(
                "RequestValidatorId", validator,
                "RequestParameters", Map.of("method.request.querystring.status", true))));
        assertTrue(Support.routeHas(b.template, routes.get(1), Map.of(
                "RequestValidatorId", validator,
                "ApiKeyRequired", true,
                "RequestParameters", Map.of("method.request.header.Idempotency-Key", true),
                "RequestModels", Map.of("$default", Match.anyValue()),
                "Integration", Match.objectLike(Map.of("Type", "AWS_PROXY")))));
        assertTrue(Support.routeHas(b.template, b.byId, Map.of(
                "RequestValidatorId", validator,
                "RequestParameters", Map.of("method.request.path.orderId", true))));
        b.template.hasResourceProperties("AWS::ApiGateway::Model", Map.of(
                "ContentType", "application/json",
                "Schema", Map.of(
                        "$schema", "http://json-schema.org/draft-04/schema#",
                        "type", "object",
                        "required", List.of("sku"),
                        "properties", Map.of("sku", Map.of("type", "string")))));
    }

    // --- Firewall -------------------------------------------------------------------------------

    @ParameterizedTest
    @EnumSource(ComplianceProfile.class)
    void theWebAclIsAssociatedWithTheStage(final ComplianceProfile profile) {
        Built b = built.get(profile);
        Map<String, Map<String, Object>> associations = b.template.findResources("AWS::WAFv2::WebACLAssociation");
        assertEquals(1, associations.size());
        @SuppressWarnings("unchecked")
        Map<String, Object> association = (Map<String, Object>) associations.values().iterator().next().get("Properties");
        assertEquals(b.stack.resolve(b.api.getWebAclArn()), association.get("WebACLArn"));
        assertTrue(String.valueOf(association.get("ResourceArn")).contains(Support.logicalId(b.api.getStage())));
        assertNotNull(b.api.getWebAcl());
        assertTrue(Support.hasProperties(b.template, b.api.getWebAcl(), Map.of(
                "Scope", "REGIONAL",
                "Rules", List.of(
                        Match.objectLike(Map.of("Name", "RateLimitPerIp", "Statement", Map.of("RateBasedStatement", Map.of(
                                "AggregateKeyType", "IP", "Limit", 500, "EvaluationWindowSec", 60)))),
                        Match.objectLike(Map.of("Name", "AmazonIpReputationList")),
                        // blockLargeBodies: only the rule named in countRules counts.
                        Match.objectLike(Map.of("Name", "CoreRuleSet", "Statement", Map.of("ManagedRuleGroupStatement", Match.objectLike(Map.of(
                                "RuleActionOverrides", List.of(Map.of("Name", "NoUserAgent_HEADER", "ActionToUse", Map.of("Count", Map.of())))))))),
                        Match.objectLike(Map.of("Name", "KnownBadInputs"))))));
        b.template.hasResourceProperties("AWS::WAFv2::LoggingConfiguration", Map.of(
                "RedactedFields", List.of(Map.of("SingleHeader", Map.of("Name", "authorization")), Map.of("SingleHeader", Map.of("Name", "cookie")))));
        assertNotNull(b.api.getFirewallLogGroup());
    }

    // --- The account's CloudWatch role ----------------------------------------------------------

    @ParameterizedTest
    @EnumSource(ComplianceProfile.class)
    void theStackSetsTheAccountCloudWatchRoleAndWarns(final ComplianceProfile profile) {
        Built b = built.get(profile);
        Map<String, Map<String, Object>> accounts = b.template.findResources("AWS::ApiGateway::Account");
        assertEquals(1, accounts.size());
        String accountId = accounts.keySet().iterator().next();
        assertEquals("Retain", accounts.get(accountId).get("DeletionPolicy"));
        assertFalse(b.template.findResources("AWS::IAM::Role", Map.of("Properties", Match.objectLike(Map.of(
                "AssumeRolePolicyDocument", Match.objectLike(Map.of("Statement", List.of(Match.objectLike(Map.of(
                        "Principal", Map.of("Service", "apigateway.amazonaws.com")))))))))).isEmpty());
        assertTrue(String.valueOf(Support.resourceOf(b.template, b.api.getStage()).get("DependsOn")).contains(accountId));
        assertTrue(Support.warningIds(b.stack).contains(Support.ACCOUNT_ROLE_WARNING), Support.warningIds(b.stack).toString());
    }

    @ParameterizedTest
    @EnumSource(ComplianceProfile.class)
    void existingRoleAndProxyMode(final ComplianceProfile profile) {
        Built b = built.get(profile);
        b.catalogTemplate.resourceCountIs("AWS::ApiGateway::Account", 0);
        assertFalse(Support.warningIds(b.catalogStack).contains(Support.ACCOUNT_ROLE_WARNING));
        List<ApiRoute> routes = b.catalog.getRoutes();
        assertEquals(List.of("ANY /", "ANY /{proxy+}"), routes.stream().map(r -> r.getMethod() + " " + r.getPath()).collect(Collectors.toList()));
        for (ApiRoute route : routes) {
            assertTrue(Support.routeHas(b.catalogTemplate, route, Map.of("HttpMethod", "ANY", "AuthorizationType", "COGNITO_USER_POOLS")));
        }
        assertTrue(Support.routeHas(b.catalogTemplate, routes.get(1), Map.of("RequestParameters", Map.of("method.request.path.proxy", true))));
    }

    // --- Alarms and usage plans -----------------------------------------------------------------

    @ParameterizedTest
    @EnumSource(ComplianceProfile.class)
    void alarmsAreTunedAndGoToTheStacksMonitoring(final ComplianceProfile profile) {
        Built b = built.get(profile);
        Stack stack = b.stack;
        b.template.hasResourceProperties("AWS::CloudWatch::Alarm", Map.of(
                "MetricName", "5XXError",
                "Statistic", "Average",
                "Threshold", 0.05,
                "EvaluationPeriods", 3,
                "Dimensions", List.of(
                        Map.of("Name", "ApiName", "Value", stack.resolve(b.api.getApi().getRestApiName())),
                        Map.of("Name", "Stage", "Value", stack.resolve(b.api.getStage().getStageName()))),
                "AlarmActions", List.of(stack.resolve(Monitoring.of(stack).getAlarmTopic().getTopicArn()))));
        b.template.hasResourceProperties("AWS::CloudWatch::Alarm", Map.of("MetricName", "Latency", "ExtendedStatistic", "p90", "Threshold", 1000));
        b.template.hasResourceProperties("AWS::CloudWatch::Alarm", Map.of(
                "Namespace", "cdk-bulwark/ApiGateway",
                "MetricName", "ThrottledRequests",
                "Threshold", 5,
                "Dimensions", List.of(Map.of("Name", "ApiId", "Value", stack.resolve(b.api.getApi().getRestApiId())))));
        assertTrue(b.template.findResources("AWS::CloudWatch::Alarm", Map.of("Properties", Match.objectLike(Map.of("MetricName", "4XXError")))).isEmpty());
        assertEquals(3, b.api.getAlarms().size());
        Set<String> registered = Monitoring.of(stack).getAlarms().stream().map(a -> a.getNode().getPath()).collect(Collectors.toSet());
        b.api.getAlarms().forEach(alarm -> assertTrue(registered.contains(alarm.getNode().getPath()), alarm.getNode().getPath()));
        assertEquals("p90", b.api.metricLatency().getStatistic());
    }

    @ParameterizedTest
    @EnumSource(ComplianceProfile.class)
    void usagePlanOnTheStageWithItsKey(final ComplianceProfile profile) {
        Built b = built.get(profile);
        Stack stack = b.stack;
        assertTrue(Support.hasProperties(b.template, b.plan, Map.of(
                "Description", "Partner integrations",
                "ApiStages", List.of(Map.of("ApiId", stack.resolve(b.api.getApi().getRestApiId()), "Stage", stack.resolve(b.api.getStage().getStageName()))),
                "Throttle", Map.of("RateLimit", 10, "BurstLimit", 20),
                "Quota", Map.of("Limit", 10000, "Period", "MONTH"))));
        b.template.hasResourceProperties("AWS::ApiGateway::UsagePlanKey", Map.of(
                "KeyId", stack.resolve(b.key.getKeyId()),
                "KeyType", "API_KEY",
                "UsagePlanId", stack.resolve(b.plan.getUsagePlanId())));
    }

    @ParameterizedTest
    @EnumSource(ComplianceProfile.class)
    void noFindingsInTheProfilesPacks(final ComplianceProfile profile) {
        Built b = built.get(profile);
        assertEquals(profile == ComplianceProfile.REGULATED ? 5 : 2, b.packs.size());
        assertEquals(List.of(), Support.nagViolations(b.app, profile));
    }

    // --- Every authorization kind ---------------------------------------------------------------

    @ParameterizedTest
    @EnumSource(ComplianceProfile.class)
    void authorizationTypePerMethod(final ComplianceProfile profile) {
        Built b = built.get(profile);
        Map<String, String> types = Map.of("token", "CUSTOM", "request", "CUSTOM", "iam", "AWS_IAM", "cognito", "COGNITO_USER_POOLS", "anonymous", "NONE");
        types.forEach((name, type) -> assertTrue(Support.routeHas(b.kindsTemplate, b.routes.get(name), Map.of("AuthorizationType", type)), name));
        assertEquals(ApiAuthorizationKind.LAMBDA_TOKEN, b.routes.get("token").getAuthorization().getKind());
        assertEquals(ApiAuthorizationKind.LAMBDA_REQUEST, b.routes.get("request").getAuthorization().getKind());
        assertEquals(ApiAuthorizationKind.IAM, b.routes.get("iam").getAuthorization().getKind());
        assertEquals(ApiAuthorizationKind.COGNITO, b.routes.get("cognito").getAuthorization().getKind());
        assertNull(b.routes.get("anonymous").getAuthorization());
    }

    @ParameterizedTest
    @EnumSource(ComplianceProfile.class)
    void lambdaAuthorizers(final ComplianceProfile profile) {
        Built b = built.get(profile);
        b.kindsTemplate.resourceCountIs("AWS::ApiGateway::Authorizer", 3);
        Map<String, Map<String, Object>> token = b.kindsTemplate.findResources("AWS::ApiGateway::Authorizer", Map.of("Properties", Match.objectLike(Map.of(
                "Type", "TOKEN",
                "IdentitySource", "method.request.header.X-Token",
                "IdentityValidationExpression", "^Bearer .+$",
                "AuthorizerResultTtlInSeconds", 0))));
        Map<String, Map<String, Object>> request = b.kindsTemplate.findResources("AWS::ApiGateway::Authorizer", Map.of("Properties", Match.objectLike(Map.of(
                "Type", "REQUEST",
                "IdentitySource", "method.request.header.X-Tenant,context.sourceIp",
                "AuthorizerResultTtlInSeconds", 300))));
        assertEquals(1, token.size());
        assertEquals(1, request.size());
        assertTrue(Support.routeHas(b.kindsTemplate, b.routes.get("token"), Map.of("AuthorizerId", Map.of("Ref", token.keySet().iterator().next()))));
        assertTrue(Support.routeHas(b.kindsTemplate, b.routes.get("request"), Map.of("AuthorizerId", Map.of("Ref", request.keySet().iterator().next()))));
    }

    @ParameterizedTest
    @EnumSource(ComplianceProfile.class)
    void grantInvokeOnTheIamRoute(final ComplianceProfile profile) {
        Built b = built.get(profile);
        assertTrue(b.grant.getSuccess());
        Object roleRef = b.kindsStack.resolve(b.caller.getRole().getRoleName());
        Object arn = b.kindsStack.resolve(b.kindsApi.getApi().arnForExecuteApi("POST", "/admin", b.kindsApi.getStage().getStageName()));
        assertTrue(Support.roleHasStatement(b.kindsTemplate, roleRef, Map.of("Effect", "Allow", "Action", "execute-api:Invoke", "Resource", arn)),
                String.valueOf(arn));
    }

    @ParameterizedTest
    @EnumSource(ComplianceProfile.class)
    void theAnonymousRouteWarns(final ComplianceProfile profile) {
        Built b = built.get(profile);
        assertTrue(Support.warningIds(b.kindsStack).contains("cdk-bulwark:api:anonymous-route"));
        software.amazon.awscdk.assertions.Annotations.fromStack(b.kindsStack).hasWarning("/" + b.kindsApi.getNode().getPath() + "/Routes/GET health",
                Match.stringLikeRegexp("route 'GET /health' allows anonymous callers"));
    }

    @ParameterizedTest
    @EnumSource(ComplianceProfile.class)
    void exactlyTheOptInFindings(final ComplianceProfile profile) {
        Built b = built.get(profile);
        String path = b.kindsStack.getStackName() + "/Api/Api/Default";
        assertEquals(List.of(
                "AwsSolutions: AwsSolutions-APIG4 @ " + path + "/health/GET/Resource",
                "AwsSolutions: AwsSolutions-COG4 @ " + path + "/admin/POST/Resource",
                "AwsSolutions: AwsSolutions-COG4 @ " + path + "/health/GET/Resource",
                "AwsSolutions: AwsSolutions-COG4 @ " + path + "/orders/GET/Resource",
                "AwsSolutions: AwsSolutions-COG4 @ " + path + "/tenants/GET/Resource"),
                Support.nagViolations(b.kindsApp, profile));
    }

    // --- Compliance of the smallest APIs --------------------------------------------------------

    @ParameterizedTest
    @EnumSource(ComplianceProfile.class)
    void minimalApiHasNoFindingsAndItsWarningIsAcknowledgeable(final ComplianceProfile profile) {
        App app = new App();
        CompliancePolicy.setDefaultProfile(app, profile);
        ComplianceChecks.enable(app);
        Stack stack = Support.stack(app, "Minimal");
        SecureApi api = SecureApi.Builder.create(stack, "Api").userPool(pool(stack)).build();
        api.addRoute(ApiMethod.GET, "/orders", function(stack, "Handler").getLambdaFunction());
        software.amazon.awscdk.Annotations.of(stack).acknowledgeWarning(Support.ACCOUNT_ROLE_WARNING, "The platform team sets no account role here.");
        app.synth();
        assertEquals(List.of(), Support.nagViolations(app, profile));
        assertFalse(Support.warningIds(stack).contains(Support.ACCOUNT_ROLE_WARNING));
        Template.fromStack(stack).resourceCountIs("AWS::ApiGateway::Account", 1);
    }

    @ParameterizedTest
    @EnumSource(ComplianceProfile.class)
    void iamAuthorizedRouteLeavesExactlyCog4(final ComplianceProfile profile) {
        App app = new App();
        CompliancePolicy.setDefaultProfile(app, profile);
        Stack stack = Support.stack(app, "Signed");
        SecureApi api = SecureApi.Builder.create(stack, "Api")
                .authorization(ApiAuthorization.iam()).cloudWatchRole(ApiCloudWatchRole.EXISTING).build();
        api.addRoute(ApiMethod.GET, "/orders", function(stack, "Handler").getLambdaFunction());
        api.grantInvoke(function(stack, "Caller"));
        app.synth();
        assertEquals(List.of("AwsSolutions: AwsSolutions-COG4 @ Signed/Api/Api/Default/orders/GET/Resource"), Support.nagViolations(app, profile));
    }

    @Test
    void anAcknowledgedOptInPassesTheChecks() {
        App app = new App();
        ComplianceChecks.enable(app);
        Stack stack = Support.stack(app, "Signed");
        SecureApi api = SecureApi.Builder.create(stack, "Api")
                .authorization(ApiAuthorization.iam()).cloudWatchRole(ApiCloudWatchRole.EXISTING).build();
        ApiRoute route = api.addRoute(ApiMethod.GET, "/orders", function(stack, "Handler").getLambdaFunction());
        Validations.of(route.getApiMethod().getNode().getDefaultChild()).acknowledge(Acknowledgment.builder()
                .id("AwsSolutions-COG4").reason("Service-to-service route: callers sign with SigV4 (IAM).").build());
        app.synth();
        assertEquals(List.of(), Support.nagViolations(app, ComplianceProfile.STANDARD));
    }

    // --- Errors ---------------------------------------------------------------------------------

    private static void assertMessage(final String expected, final RuntimeException error) {
        assertTrue(error.getMessage().contains(expected), error.getMessage());
    }

    @Test
    void aRouteWithoutAuthorizationIsRefused() {
        Stack stack = Support.stack(new App(), "Errors");
        SecureApi api = new SecureApi(stack, "Api");
        IFunction handler = function(stack, "Handler").getLambdaFunction();
        assertMessage("SecureApi 'Errors/Api': route 'GET /orders' has no authorization: give the API userPool or authorization, "
                + "give the route authorization, or, for a route anyone may call, allowAnonymous: true",
                assertThrows(RuntimeException.class, () -> api.addRoute(ApiMethod.GET, "/orders", handler)));
        assertEquals(List.of(), api.getRoutes());
    }

    @Test
    void aRouteInThePropsWithoutAuthorizationIsRefused() {
        Stack stack = Support.stack(new App(), "Errors");
        IFunction handler = function(stack, "Handler").getLambdaFunction();
        assertMessage("SecureApi 'Errors/Api': route 'GET /orders' has no authorization",
                assertThrows(RuntimeException.class, () -> SecureApi.Builder.create(stack, "Api")
                        .routes(List.of(ApiRouteProps.builder().method(ApiMethod.GET).path("/orders").handler(handler).build()))
                        .build()));
    }

    @Test
    void allowAnonymousWithAuthorizationIsRefused() {
        Stack stack = Support.stack(new App(), "Errors");
        SecureApi api = SecureApi.Builder.create(stack, "Api").authorization(ApiAuthorization.iam()).build();
        IFunction handler = function(stack, "Handler").getLambdaFunction();
        assertMessage("SecureApi 'Errors/Api': route 'GET /health': allowAnonymous and authorization cannot be set together; "
                + "a route is either authorized or open to anyone",
                assertThrows(RuntimeException.class, () -> api.addRoute(ApiMethod.GET, "/health", handler,
                        ApiRouteOptions.builder().allowAnonymous(true).authorization(ApiAuthorization.iam()).build())));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "orders|it must start with '/', have no empty segments or trailing '/'",
        "/orders/|it must start with '/', have no empty segments or trailing '/'",
        "/files/{key+}/meta|the greedy parameter {key+} must be the last segment",
    })
    void aBadPathIsRefused(final String path, final String allowed) {
        Stack stack = Support.stack(new App(), "Errors");
        SecureApi api = SecureApi.Builder.create(stack, "Api").authorization(ApiAuthorization.iam()).build();
        IFunction handler = function(stack, "Handler").getLambdaFunction();
        assertMessage("SecureApi 'Errors/Api': path of route 'GET " + path + "' is '" + path + "'; " + allowed,
                assertThrows(RuntimeException.class, () -> api.addRoute(ApiMethod.GET, path, handler)));
    }

    @Test
    void userPoolAndAuthorizationTogetherAreRefused() {
        Stack stack = Support.stack(new App(), "Errors");
        assertMessage("SecureApi 'Errors/Api': userPool and authorization cannot be set together",
                assertThrows(RuntimeException.class, () -> SecureApi.Builder.create(stack, "Api")
                        .userPool(pool(stack)).authorization(ApiAuthorization.iam()).build()));
    }

    @Test
    void grantInvokeNeedsBothMethodAndPath() {
        Stack stack = Support.stack(new App(), "Errors");
        SecureApi api = SecureApi.Builder.create(stack, "Api").authorization(ApiAuthorization.iam()).build();
        api.addRoute(ApiMethod.GET, "/orders", function(stack, "Handler").getLambdaFunction());
        SecureFunction caller = function(stack, "Caller");
        // Java's overload with a method and no path: the library asks for both.
        assertMessage("SecureApi 'Errors/Api': grantInvoke: give both method and path, or neither (for every IAM-authorized route)",
                assertThrows(RuntimeException.class, () -> api.grantInvoke(caller, ApiMethod.GET)));
        assertMessage("SecureApi 'Errors/Api': grantInvoke: there is no route 'POST /orders'; the routes are 'GET /orders'",
                assertThrows(RuntimeException.class, () -> api.grantInvoke(caller, ApiMethod.POST, "/orders")));
    }

    @Test
    void anApiWithoutRoutesFailsSynthesis() {
        App app = new App();
        Stack stack = Support.stack(app, "Errors");
        SecureApi.Builder.create(stack, "Api").authorization(ApiAuthorization.iam()).build();
        assertMessage("[Errors/Api] SecureApi 'Errors/Api' has no routes: add them with routes, defaultHandler or addRoute()",
                assertThrows(RuntimeException.class, app::synth));
    }
}
