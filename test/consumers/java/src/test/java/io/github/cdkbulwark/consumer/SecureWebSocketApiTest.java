package io.github.cdkbulwark.consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import io.github.cdkbulwark.ApiCloudWatchRole;
import io.github.cdkbulwark.ApiThrottleOptions;
import io.github.cdkbulwark.ComplianceProfile;
import io.github.cdkbulwark.LatencyAlarmOptions;
import io.github.cdkbulwark.SecureFunction;
import io.github.cdkbulwark.SecureTable;
import io.github.cdkbulwark.SecureWebSocketApi;
import io.github.cdkbulwark.SecureWebSocketApiAlarmsProps;
import io.github.cdkbulwark.SecureWebSocketApiProps;
import io.github.cdkbulwark.ThresholdAlarmOptions;
import io.github.cdkbulwark.WebSocketAuthorization;
import io.github.cdkbulwark.WebSocketAuthorizationKind;
import io.github.cdkbulwark.WebSocketCognitoOptions;
import io.github.cdkbulwark.WebSocketLambdaAuthorizerOptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.App;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;
import software.amazon.awscdk.services.apigatewayv2.WebSocketApi;
import software.amazon.awscdk.services.apigatewayv2.WebSocketRoute;
import software.amazon.awscdk.services.apigatewayv2.WebSocketStage;
import software.amazon.awscdk.services.cognito.IUserPool;
import software.amazon.awscdk.services.cognito.IUserPoolClient;
import software.amazon.awscdk.services.cognito.UserPool;
import software.amazon.awscdk.services.cognito.UserPoolClient;
import software.amazon.awscdk.services.iam.AccountRootPrincipal;
import software.amazon.awscdk.services.iam.Grant;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.lambda.IFunction;

/**
 * SecureWebSocketApi from Java: routes as a Map of route keys to functions, addRoute, every
 * WebSocketAuthorization factory with its WebSocketAuthorizationKind and option structs
 * (WebSocketCognitoOptions, WebSocketLambdaAuthorizerOptions), the throttle and alarm structs, the
 * ApiCloudWatchRole enum, grantManageConnections and grantConnect, the getters, and values the
 * constructor rejects.
 */
class SecureWebSocketApiTest {
    private static Stack stack;
    private static SecureWebSocketApi live;
    private static SecureWebSocketApi signed;
    private static WebSocketAuthorization cognito;
    private static WebSocketAuthorization iam;
    private static WebSocketRoute unsubscribe;
    private static Grant manage;
    private static Grant connect;
    private static Template template;

    private static IUserPool pool(final Stack stack) {
        return UserPool.fromUserPoolId(stack, "Users", Support.USER_POOL_ID);
    }

    private static IUserPoolClient client(final Stack stack) {
        return UserPoolClient.fromUserPoolClientId(stack, "Client", "client123");
    }

    /** The $connect route of an API, matched by its ApiId ({"Ref": the API's logical id}). */
    private static Map<String, Object> connectRoute(final SecureWebSocketApi api, final String authorizationType) {
        return Map.of("ApiId", Stack.of(api).resolve(api.getWebSocketApi().getApiId()), "RouteKey", "$connect",
                "AuthorizationType", authorizationType);
    }

    @BeforeAll
    static void build() {
        Support.Checked checked = new Support.Checked("WebSockets");
        stack = checked.stack;
        SecureFunction subscribe = Support.function(stack, "Subscribe");
        cognito = WebSocketAuthorization.cognito(pool(stack), List.of(client(stack)),
                WebSocketCognitoOptions.builder().scopes(List.of("live/read")).build());
        live = SecureWebSocketApi.Builder.create(stack, "Live")
                .authorization(cognito)
                .routes(Map.of("subscribe", subscribe.getLambdaFunction()))
                .defaultHandler(Support.function(stack, "Fallback").getLambdaFunction())
                .throttle(ApiThrottleOptions.builder().rateLimit(50).burstLimit(100).build())
                .alarms(SecureWebSocketApiAlarmsProps.builder()
                        .clientErrors(ThresholdAlarmOptions.builder().threshold(50).build())
                        .latencyP90(LatencyAlarmOptions.builder().enabled(false).build())
                        .build())
                .build();
        IFunction unsubscriber = Support.function(stack, "Unsubscribe").getLambdaFunction();
        unsubscribe = live.addRoute("unsubscribe", unsubscriber);
        manage = live.grantManageConnections(subscribe);
        iam = WebSocketAuthorization.iam();
        signed = SecureWebSocketApi.Builder.create(stack, "Signed")
                .authorization(iam)
                .cloudWatchRole(ApiCloudWatchRole.EXISTING)
                .routeSelectionExpression("$request.body.message.type")
                .stageName("live")
                .build();
        connect = signed.grantConnect(Role.Builder.create(stack, "Device").assumedBy(new AccountRootPrincipal()).build());
        template = checked.synth();
    }

    /** Synthesized with the STANDARD packs registered: a finding would have failed synthesis. */
    @Test
    void synthesizesACognitoAuthorizedWebSocketApiAndNoFinding() {
        template.hasResourceProperties("AWS::ApiGatewayV2::Api", Map.of(
                "ProtocolType", "WEBSOCKET", "RouteSelectionExpression", "$request.body.action"));
        // The Cognito authorizer is a Lambda (REQUEST) authorizer reading the token from the query string.
        template.hasResourceProperties("AWS::ApiGatewayV2::Authorizer", Map.of(
                "AuthorizerType", "REQUEST", "IdentitySource", List.of("route.request.querystring.token")));
        template.hasResourceProperties("AWS::Lambda::Function", Map.of("Environment", Map.of("Variables", Match.objectLike(Map.of(
                "CLIENT_IDS", "client123", "SCOPES", "live/read", "TOKEN_SOURCE", "query:token")))));
        template.hasResourceProperties("AWS::ApiGatewayV2::Route", Map.of(
                "ApiId", stack.resolve(live.getWebSocketApi().getApiId()), "RouteKey", "$connect",
                "AuthorizationType", "CUSTOM", "AuthorizerId", Match.anyValue()));
        template.hasResourceProperties("AWS::ApiGatewayV2::Stage", Map.of(
                "StageName", "prod", "AutoDeploy", true,
                "DefaultRouteSettings", Match.objectLike(Map.of(
                        "ThrottlingRateLimit", 50, "ThrottlingBurstLimit", 100, "LoggingLevel", "ERROR", "DataTraceEnabled", false))));
        template.hasResourceProperties("AWS::DynamoDB::Table", Map.of(
                "KeySchema", List.of(Map.of("AttributeName", "connectionId", "KeyType", "HASH")),
                "TimeToLiveSpecification", Map.of("AttributeName", "expiresAt", "Enabled", true),
                "GlobalSecondaryIndexes", List.of(Match.objectLike(Map.of("IndexName", "byPrincipal")))));
        template.hasResourceProperties("AWS::ApiGatewayV2::Route", Map.of("RouteKey", "subscribe"));
        template.hasResourceProperties("AWS::ApiGatewayV2::Route", Map.of("RouteKey", "$default"));
        template.hasResourceProperties("AWS::CloudWatch::Alarm", Map.of("MetricName", "ClientError", "Threshold", 50));
    }

    @Test
    void anIamAuthorizedApiAndItsGrants() {
        template.hasResourceProperties("AWS::ApiGatewayV2::Api", Map.of(
                "ProtocolType", "WEBSOCKET", "RouteSelectionExpression", "$request.body.message.type"));
        template.hasResourceProperties("AWS::ApiGatewayV2::Stage", Map.of("StageName", "live"));
        template.hasResourceProperties("AWS::ApiGatewayV2::Route", connectRoute(signed, "AWS_IAM"));
        // grantManageConnections: POST, GET and DELETE on the stage's @connections of the Live API.
        Object liveApi = stack.resolve(live.getWebSocketApi().getApiId());
        template.hasResourceProperties("AWS::IAM::Policy", Map.of("PolicyDocument", Map.of("Statement", Match.arrayWith(List.of(
                Match.objectLike(Map.of("Action", "execute-api:ManageConnections", "Resource", List.of(
                        Map.of("Fn::Join", List.of("", Match.arrayWith(List.of(liveApi, "/prod/POST/@connections/*")))),
                        Map.of("Fn::Join", List.of("", Match.arrayWith(List.of(liveApi, "/prod/GET/@connections/*")))),
                        Map.of("Fn::Join", List.of("", Match.arrayWith(List.of(liveApi, "/prod/DELETE/@connections/*"))))))))))));
        // grantConnect: execute-api:Invoke on the $connect route of the Signed API's stage.
        template.hasResourceProperties("AWS::IAM::Policy", Map.of("PolicyDocument", Map.of("Statement", Match.arrayWith(List.of(
                Match.objectLike(Map.of("Action", "execute-api:Invoke", "Resource", Map.of("Fn::Join", List.of("", Match.arrayWith(List.of(
                        stack.resolve(signed.getWebSocketApi().getApiId()), "/live/$connect")))))))))));
        assertTrue(manage.getSuccess());
        assertTrue(connect.getSuccess());
    }

    @Test
    void authorizationsGettersAndMetricsCrossTheBoundary() {
        assertEquals(WebSocketAuthorizationKind.COGNITO, cognito.getKind());
        assertEquals(List.of("live/read"), cognito.getScopes());
        assertEquals(WebSocketAuthorizationKind.IAM, iam.getKind());
        assertTrue(unsubscribe instanceof WebSocketRoute);
        assertEquals(List.of("$connect", "$default", "$disconnect", "subscribe", "unsubscribe"),
                live.getRoutes().stream().map(WebSocketRoute::getRouteKey).sorted().collect(Collectors.toList()));
        assertTrue(live.getWebSocketApi() instanceof WebSocketApi);
        assertTrue(live.getStage() instanceof WebSocketStage);
        assertTrue(live.getConnectionsTable() instanceof SecureTable);
        assertTrue(live.getConnectionsHandler() instanceof SecureFunction);
        assertTrue(live.getAuthorizerFunction() instanceof SecureFunction);
        assertNull(signed.getAuthorizerFunction());
        assertNull(live.getDomainName());
        assertTrue(!live.getUrl().isEmpty() && !live.getCallbackUrl().isEmpty());
        assertTrue(live.getAccessLogGroup() != null && live.getExecutionLogGroup() != null);
        assertEquals(ComplianceProfile.STANDARD, live.getComplianceProfile());
        assertEquals(List.of("IntegrationErrorsAlarm", "ExecutionErrorsAlarm", "ClientErrorsAlarm"),
                live.getAlarms().stream().map(a -> a.getNode().getId()).collect(Collectors.toList()));
        assertEquals("ConnectCount", live.metricConnectCount().getMetricName());
        assertEquals("MessageCount", live.metricMessageCount().getMetricName());
        assertEquals("IntegrationError", live.metricIntegrationError().getMetricName());
        assertEquals("ExecutionError", live.metricExecutionError().getMetricName());
        assertEquals("ClientError", live.metricClientError().getMetricName());
        assertEquals("IntegrationLatency", live.metricIntegrationLatency().getMetricName());
    }

    @Test
    void aLambdaAuthorizerAndAnAnonymousApi() {
        Stack others = Support.stack(new App(), "Others");
        IFunction authorizer = Support.function(others, "Authorizer").getLambdaFunction();
        WebSocketAuthorization lambda = WebSocketAuthorization.lambdaAuthorizer(authorizer,
                WebSocketLambdaAuthorizerOptions.builder().identitySource(List.of("route.request.header.Authorization")).build());
        assertEquals(WebSocketAuthorizationKind.LAMBDA, lambda.getKind());
        assertEquals(authorizer.getNode().getPath(), lambda.getHandler().getNode().getPath());
        assertEquals(List.of("route.request.header.Authorization"), lambda.getIdentitySource());
        SecureWebSocketApi custom = SecureWebSocketApi.Builder.create(others, "Custom").authorization(lambda).build();
        SecureWebSocketApi open = SecureWebSocketApi.Builder.create(others, "Public")
                .allowAnonymousConnect(true).cloudWatchRole(ApiCloudWatchRole.EXISTING).build();
        Template t = Template.fromStack(others);
        t.hasResourceProperties("AWS::ApiGatewayV2::Authorizer", Map.of(
                "AuthorizerType", "REQUEST", "IdentitySource", List.of("route.request.header.Authorization")));
        t.hasResourceProperties("AWS::ApiGatewayV2::Route", connectRoute(custom, "CUSTOM"));
        t.hasResourceProperties("AWS::ApiGatewayV2::Route", connectRoute(open, "NONE"));
        RuntimeException error = assertThrows(RuntimeException.class, () -> open.grantConnect(Support.function(others, "Caller")));
        assertTrue(error.getMessage().contains("grantConnect() applies to an API authorized with WebSocketAuthorization.iam()"),
                error.getMessage());
    }

    /** A fresh stack per case: a constructor that throws leaves a half-built construct behind. */
    private static String rejected(final java.util.function.Function<Stack, SecureWebSocketApiProps> props) {
        Stack stack = Support.stack(new App(), "Errors");
        SecureWebSocketApiProps given = props.apply(stack);
        return assertThrows(RuntimeException.class, () -> new SecureWebSocketApi(stack, "Bad", given)).getMessage();
    }

    @Test
    void aRouteSelectionExpressionOutsideTheBodyNamesThePathAndTheProp() {
        String message = rejected(s -> SecureWebSocketApiProps.builder()
                .authorization(WebSocketAuthorization.iam()).routeSelectionExpression("$request.header.x").build());
        assertTrue(message.contains(
                "SecureWebSocketApi 'Errors/Bad': routeSelectionExpression is '$request.header.x'; it must be $request.body.<field>"), message);
    }

    @Test
    void aReservedRouteKeyNamesThePathAndTheProp() {
        String message = rejected(s -> SecureWebSocketApiProps.builder()
                .authorization(WebSocketAuthorization.iam()).routes(Map.of("$bad", Support.function(s, "Handler").getLambdaFunction())).build());
        assertTrue(message.contains("SecureWebSocketApi 'Errors/Bad': route key is '$bad'; route keys starting with $ are AWS's"), message);
    }

    @Test
    void noAuthorizationWithoutTheAnonymousOptInIsRefused() {
        String message = rejected(s -> SecureWebSocketApiProps.builder().build());
        assertTrue(message.contains("SecureWebSocketApi 'Errors/Bad': the $connect route has no authorization: give authorization"), message);
        assertTrue(message.contains("allowAnonymousConnect: true"), message);
    }

    @Test
    void cognitoInRegulatedNeedsAVpc() {
        String message = rejected(s -> SecureWebSocketApiProps.builder()
                .complianceProfile(ComplianceProfile.REGULATED)
                .authorization(WebSocketAuthorization.cognito(pool(s), List.of(client(s)),
                        WebSocketCognitoOptions.builder().identitySource("route.request.header.Authorization").build()))
                .build());
        assertTrue(message.contains("SecureWebSocketApi 'Errors/Bad': authorization: vpc is undefined; "
                + "WebSocketAuthorization.cognito() needs a vpc in the REGULATED profile"), message);
    }
}
