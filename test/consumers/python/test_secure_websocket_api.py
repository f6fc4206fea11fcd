"""SecureWebSocketApi from Python: routes as a dict of route keys to functions, ``add_route``, every
``WebSocketAuthorization`` factory with its ``WebSocketAuthorizationKind`` and keyword options, the throttle
and alarm structs, the ``ApiCloudWatchRole`` enum, ``grant_manage_connections`` and ``grant_connect``, the
getters, and values the constructor rejects."""
import re

import aws_cdk as cdk
import pytest
from aws_cdk import aws_apigatewayv2 as apigwv2
from aws_cdk import aws_cognito as cognito
from aws_cdk import aws_iam as iam
from aws_cdk.assertions import Match, Template

from cdk_bulwark import (
    ApiCloudWatchRole,
    ApiThrottleOptions,
    ComplianceProfile,
    LatencyAlarmOptions,
    SecureFunction,
    SecureTable,
    SecureWebSocketApi,
    SecureWebSocketApiAlarmsProps,
    ThresholdAlarmOptions,
    WebSocketAuthorization,
    WebSocketAuthorizationKind,
)

from conftest import USER_POOL_ID, checked_stack, function, stack_in


def user_pool(stack: cdk.Stack):
    return (cognito.UserPool.from_user_pool_id(stack, "Users", USER_POOL_ID),
            cognito.UserPoolClient.from_user_pool_client_id(stack, "Client", "client123"))


def connect_route(template: Template, api_logical_id: str) -> dict:
    [route] = [r["Properties"] for r in template.find_resources("AWS::ApiGatewayV2::Route").values()
               if r["Properties"]["RouteKey"] == "$connect" and r["Properties"]["ApiId"] == {"Ref": api_logical_id}]
    return route


def logical_id(stack: cdk.Stack, construct) -> str:
    return stack.get_logical_id(construct.node.default_child)


@pytest.fixture(scope="module")
def built():
    b = checked_stack("WebSockets")
    stack = b.stack
    pool, client = user_pool(stack)
    b.subscribe = function(stack, "Subscribe")
    b.cognito = WebSocketAuthorization.cognito(pool, [client], scopes=["live/read"])
    b.api = SecureWebSocketApi(
        stack, "Live",
        authorization=b.cognito,
        routes={"subscribe": b.subscribe.lambda_function},
        default_handler=function(stack, "Fallback").lambda_function,
        throttle=ApiThrottleOptions(rate_limit=50, burst_limit=100),
        alarms=SecureWebSocketApiAlarmsProps(client_errors=ThresholdAlarmOptions(threshold=50),
                                             latency_p90=LatencyAlarmOptions(enabled=False)),
    )
    b.unsubscribe = b.api.add_route("unsubscribe", function(stack, "Unsubscribe").lambda_function)
    b.manage = b.api.grant_manage_connections(b.subscribe)
    b.iam = WebSocketAuthorization.iam()
    b.signed = SecureWebSocketApi(stack, "Signed", authorization=b.iam, cloud_watch_role=ApiCloudWatchRole.EXISTING,
                                  route_selection_expression="$request.body.message.type", stage_name="live")
    b.connect = b.signed.grant_connect(iam.Role(stack, "Device", assumed_by=iam.AccountRootPrincipal()))
    b.app.synth()
    b.template = Template.from_stack(stack)
    return b


def test_synthesizes_a_cognito_authorized_websocket_api_and_no_finding(built):
    """Synthesized with the STANDARD packs registered: a finding would have failed synthesis."""
    t = built.template
    t.has_resource_properties("AWS::ApiGatewayV2::Api", {
        "ProtocolType": "WEBSOCKET", "RouteSelectionExpression": "$request.body.action"})
    # The Cognito authorizer is a Lambda (REQUEST) authorizer reading the token from the query string.
    t.has_resource_properties("AWS::ApiGatewayV2::Authorizer", {
        "AuthorizerType": "REQUEST", "IdentitySource": ["route.request.querystring.token"]})
    t.has_resource_properties("AWS::Lambda::Function", {"Environment": {"Variables": Match.object_like({
        "CLIENT_IDS": "client123", "SCOPES": "live/read", "TOKEN_SOURCE": "query:token"})}})
    route = connect_route(t, logical_id(built.stack, built.api.web_socket_api))
    assert route["AuthorizationType"] == "CUSTOM" and "AuthorizerId" in route
    t.has_resource_properties("AWS::ApiGatewayV2::Stage", {
        "StageName": "prod", "AutoDeploy": True,
        "DefaultRouteSettings": Match.object_like({
            "ThrottlingRateLimit": 50, "ThrottlingBurstLimit": 100, "LoggingLevel": "ERROR", "DataTraceEnabled": False})})
    t.has_resource_properties("AWS::DynamoDB::Table", {
        "KeySchema": [{"AttributeName": "connectionId", "KeyType": "HASH"}],
        "TimeToLiveSpecification": {"AttributeName": "expiresAt", "Enabled": True},
        "GlobalSecondaryIndexes": [Match.object_like({"IndexName": "byPrincipal"})]})
    t.has_resource_properties("AWS::ApiGatewayV2::Route", {"RouteKey": "subscribe"})
    t.has_resource_properties("AWS::ApiGatewayV2::Route", {"RouteKey": "$default"})
    t.has_resource_properties("AWS::CloudWatch::Alarm", {"MetricName": "ClientError", "Threshold": 50})


def test_an_iam_authorized_api_and_its_grants(built):
    t = built.template
    t.has_resource_properties("AWS::ApiGatewayV2::Api", {
        "ProtocolType": "WEBSOCKET", "RouteSelectionExpression": "$request.body.message.type"})
    t.has_resource_properties("AWS::ApiGatewayV2::Stage", {"StageName": "live"})
    assert connect_route(t, logical_id(built.stack, built.signed.web_socket_api))["AuthorizationType"] == "AWS_IAM"
    statements = [s for kind in ("AWS::IAM::Policy", "AWS::IAM::ManagedPolicy")
                  for r in t.find_resources(kind).values() for s in r["Properties"]["PolicyDocument"]["Statement"]]
    # grant_manage_connections: POST, GET and DELETE on the stage's @connections of the Live API.
    [manage] = [s for s in statements if s["Action"] == "execute-api:ManageConnections"]
    live = {"Ref": logical_id(built.stack, built.api.web_socket_api)}
    assert [(live in arn["Fn::Join"][1], arn["Fn::Join"][1][-1]) for arn in manage["Resource"]] == [
        (True, "/prod/POST/@connections/*"), (True, "/prod/GET/@connections/*"), (True, "/prod/DELETE/@connections/*")]
    # grant_connect: execute-api:Invoke on the $connect route of the Signed API's stage.
    [invoke] = [s for s in statements if s["Action"] == "execute-api:Invoke"]
    assert {"Ref": logical_id(built.stack, built.signed.web_socket_api)} in invoke["Resource"]["Fn::Join"][1]
    assert invoke["Resource"]["Fn::Join"][1][-1] == "/live/$connect"
    assert built.manage.success and built.connect.success


def test_authorizations_getters_and_metrics_cross_the_boundary(built):
    api = built.api
    assert (built.cognito.kind, built.cognito.scopes) == (WebSocketAuthorizationKind.COGNITO, ["live/read"])
    assert built.iam.kind == WebSocketAuthorizationKind.IAM
    assert isinstance(built.unsubscribe, apigwv2.WebSocketRoute)
    assert sorted(r.route_key for r in api.routes) == ["$connect", "$default", "$disconnect", "subscribe", "unsubscribe"]
    assert isinstance(api.web_socket_api, apigwv2.WebSocketApi) and isinstance(api.stage, apigwv2.WebSocketStage)
    assert isinstance(api.connections_table, SecureTable)
    assert isinstance(api.connections_handler, SecureFunction) and isinstance(api.authorizer_function, SecureFunction)
    assert built.signed.authorizer_function is None and api.domain_name is None
    assert api.url and api.callback_url and api.access_log_group and api.execution_log_group
    assert api.compliance_profile == ComplianceProfile.STANDARD
    assert [a.node.id for a in api.alarms] == ["IntegrationErrorsAlarm", "ExecutionErrorsAlarm", "ClientErrorsAlarm"]
    assert api.metric_connect_count().metric_name == "ConnectCount"
    assert api.metric_message_count().metric_name == "MessageCount"
    assert api.metric_integration_error().metric_name == "IntegrationError"
    assert api.metric_execution_error().metric_name == "ExecutionError"
    assert api.metric_client_error().metric_name == "ClientError"
    assert api.metric_integration_latency().metric_name == "IntegrationLatency"


def test_a_lambda_authorizer_and_an_anonymous_api():
    stack = stack_in(cdk.App(), "Others")
    authorizer = function(stack, "Authorizer").lambda_function
    lambda_ = WebSocketAuthorization.lambda_authorizer(authorizer, identity_source=["route.request.header.Authorization"])
    assert (lambda_.kind, lambda_.handler.node.path, lambda_.identity_source) == (
        WebSocketAuthorizationKind.LAMBDA, authorizer.node.path, ["route.request.header.Authorization"])
    custom = SecureWebSocketApi(stack, "Custom", authorization=lambda_)
    public = SecureWebSocketApi(stack, "Public", allow_anonymous_connect=True, cloud_watch_role=ApiCloudWatchRole.EXISTING)
    t = Template.from_stack(stack)
    t.has_resource_properties("AWS::ApiGatewayV2::Authorizer", {
        "AuthorizerType": "REQUEST", "IdentitySource": ["route.request.header.Authorization"]})
    assert connect_route(t, logical_id(stack, custom.web_socket_api))["AuthorizationType"] == "CUSTOM"
    assert connect_route(t, logical_id(stack, public.web_socket_api))["AuthorizationType"] == "NONE"
    with pytest.raises(RuntimeError, match=re.escape("grantConnect() applies to an API authorized with WebSocketAuthorization.iam()")):
        public.grant_connect(function(stack, "Caller"))


@pytest.fixture
def stack():
    """A fresh stack per test: a constructor that raises leaves a half-built construct behind."""
    return stack_in(cdk.App(), "Errors")


def test_a_route_selection_expression_outside_the_body_names_the_path_and_the_prop(stack):
    with pytest.raises(RuntimeError, match=re.escape(
            "SecureWebSocketApi 'Errors/Bad': routeSelectionExpression is '$request.header.x'; it must be $request.body.<field>")):
        SecureWebSocketApi(stack, "Bad", authorization=WebSocketAuthorization.iam(), route_selection_expression="$request.header.x")


def test_a_reserved_route_key_names_the_path_and_the_prop(stack):
    with pytest.raises(RuntimeError, match=re.escape(
            "SecureWebSocketApi 'Errors/Bad': route key is '$bad'; route keys starting with $ are AWS's")):
        SecureWebSocketApi(stack, "Bad", authorization=WebSocketAuthorization.iam(),
                           routes={"$bad": function(stack, "Handler").lambda_function})


def test_no_authorization_without_the_anonymous_opt_in_is_refused(stack):
    with pytest.raises(RuntimeError, match=re.escape(
            "SecureWebSocketApi 'Errors/Bad': the $connect route has no authorization: give authorization")) as error:
        SecureWebSocketApi(stack, "Bad")
    assert "allowAnonymousConnect: true" in str(error.value)


def test_cognito_in_regulated_needs_a_vpc(stack):
    pool, client = user_pool(stack)
    with pytest.raises(RuntimeError, match=re.escape(
            "SecureWebSocketApi 'Errors/Bad': authorization: vpc is undefined; "
            "WebSocketAuthorization.cognito() needs a vpc in the REGULATED profile")):
        SecureWebSocketApi(stack, "Bad", compliance_profile=ComplianceProfile.REGULATED,
                           authorization=WebSocketAuthorization.cognito(pool, [client]))
