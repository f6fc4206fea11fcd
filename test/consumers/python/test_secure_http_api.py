"""SecureHttpApi from Python: ``HttpApiRouteDefinition`` routes inside a list (a dict is refused), ``add_route``, every
``HttpApiAuthorization`` factory with its ``HttpApiAuthorizationKind``, a list of
``HttpApiLambdaResponseType`` enums, the throttle and alarm structs, and ``grant_invoke``."""
import aws_cdk as cdk
import pytest
from aws_cdk import Duration
from aws_cdk import aws_apigatewayv2 as apigwv2
from aws_cdk import aws_cognito as cognito
from aws_cdk.assertions import Template

from cdk_bulwark import (
    ApiMethod,
    ApiThrottleOptions,
    HttpApiAuthorization,
    HttpApiAuthorizationKind,
    HttpApiLambdaResponseType,
    HttpApiRouteDefinition,
    LatencyAlarmOptions,
    SecureHttpApi,
    SecureHttpApiAlarmsProps,
    ThresholdAlarmOptions,
)

from conftest import USER_POOL_ID, checked_stack, function, stack_in

ISSUER = "https://issuer.example.com/"


@pytest.fixture(scope="module")
def built():
    b = checked_stack("Http")
    stack = b.stack
    handler = function(stack, "Orders").lambda_function
    b.api = SecureHttpApi(
        stack, "Api",
        authorization=HttpApiAuthorization.jwt(ISSUER, ["orders-api"], scopes=["orders/read"]),
        throttle=ApiThrottleOptions(rate_limit=50, burst_limit=100),
        alarms=SecureHttpApiAlarmsProps(server_error_rate=ThresholdAlarmOptions(threshold=0.01),
                                        latency_p90=LatencyAlarmOptions(max_latency=Duration.seconds(1))),
        routes=[HttpApiRouteDefinition.of(ApiMethod.GET, "/orders/{orderId}", handler)],
    )
    pool = cognito.UserPool.from_user_pool_id(stack, "Users", USER_POOL_ID)
    client = cognito.UserPoolClient.from_user_pool_client_id(stack, "Client", "client123")
    b.cognito = HttpApiAuthorization.cognito(pool, [client], scopes=["orders/write"])
    b.post = b.api.add_route(ApiMethod.POST, "/orders", handler, authorization=b.cognito)
    b.lambda_ = HttpApiAuthorization.lambda_authorizer(
        function(stack, "Authorizer").lambda_function, identity_source=["$request.header.X-Tenant"],
        response_types=[HttpApiLambdaResponseType.SIMPLE], results_cache_ttl=Duration.seconds(0))
    b.api.add_route(ApiMethod.GET, "/tenants", handler, authorization=b.lambda_)
    b.app.synth()
    b.template = Template.from_stack(stack)
    return b


def test_synthesizes_a_jwt_authorized_api_and_no_finding(built):
    """Synthesized with the STANDARD packs registered: a finding would have failed synthesis."""
    built.template.has_resource_properties("AWS::ApiGatewayV2::Authorizer", {
        "AuthorizerType": "JWT", "JwtConfiguration": {"Issuer": ISSUER, "Audience": ["orders-api"]}})


def test_routes_and_authorization_getters(built):
    assert isinstance(built.post, apigwv2.HttpRoute)
    assert len(built.api.routes) == 3
    assert (built.cognito.kind, built.cognito.scopes) == (HttpApiAuthorizationKind.COGNITO, ["orders/write"])
    assert (built.lambda_.kind, built.lambda_.response_types) == (HttpApiAuthorizationKind.LAMBDA, [HttpApiLambdaResponseType.SIMPLE])
    assert built.lambda_.results_cache_ttl.to_seconds() == 0


def test_iam_authorization_and_grant_invoke():
    stack = stack_in(cdk.App(), "Signed")
    iam_authorization = HttpApiAuthorization.iam()
    api = SecureHttpApi(stack, "Api", authorization=iam_authorization)
    api.add_route(ApiMethod.GET, "/reports", function(stack, "Reports").lambda_function)
    assert iam_authorization.kind == HttpApiAuthorizationKind.IAM
    assert HttpApiAuthorization.jwt(ISSUER, ["orders-api"]).kind == HttpApiAuthorizationKind.JWT
    assert api.grant_invoke(function(stack, "Caller"), ApiMethod.GET, "/reports").success


def test_a_route_given_as_a_dict_is_refused():
    """A dict inside routes would lose allow_anonymous (jsii drops snake_case keys there): refused, never read."""
    stack = stack_in(cdk.App(), "Dicts")
    handler = function(stack, "Handler").lambda_function
    with pytest.raises(Exception, match="HttpApiRouteDefinition"):
        SecureHttpApi(stack, "Api", authorization=HttpApiAuthorization.iam(),
                      routes=[{"method": ApiMethod.GET, "path": "/health", "handler": handler, "allow_anonymous": True}])
