"""SecureApi from Python: ``ApiRouteDefinition`` routes inside a list, ``add_route`` returning an ``ApiRoute``
struct, every ``ApiAuthorization`` factory with its ``ApiAuthorizationKind``, ``ApiMethod`` and
``ApiCloudWatchRole`` enums, the firewall, throttle, domain and alarm structs, a usage plan, a user's
acknowledgement placed on a route's method, and ``grant_invoke``.

A route cannot be given as a dict (jsii would drop its snake_case options, and the route would be less
protected than written): the binding refuses it, and a route's options reach the API whatever their spelling.
"""
import aws_cdk as cdk
import pytest
from aws_cdk import Duration
from aws_cdk import aws_apigateway as apigateway
from aws_cdk import aws_certificatemanager as acm
from aws_cdk import aws_cognito as cognito
from aws_cdk.assertions import Template

from cdk_bulwark import (
    ApiAuthorization,
    ApiAuthorizationKind,
    ApiCloudWatchRole,
    ApiDomainOptions,
    ApiMethod,
    ApiRoute,
    ApiRouteDefinition,
    ApiThrottleOptions,
    LatencyAlarmOptions,
    SecureApi,
    SecureApiAlarmsProps,
    ThresholdAlarmOptions,
    WebFirewallOptions,
)

from conftest import USER_POOL_ID, checked_stack, function, stack_in


@pytest.fixture(scope="module")
def built():
    b = checked_stack("Api")
    stack = b.stack
    pool = cognito.UserPool.from_user_pool_id(stack, "Users", USER_POOL_ID)
    orders = function(stack, "Orders").lambda_function
    b.api = SecureApi(
        stack, "OrdersApi",
        user_pool=pool,
        cloud_watch_role=ApiCloudWatchRole.EXISTING,
        throttle=ApiThrottleOptions(rate_limit=200, burst_limit=400),
        firewall=WebFirewallOptions(rate_limit=500, rate_limit_window=Duration.minutes(1), block_large_bodies=True),
        domain=ApiDomainOptions(domain_name="api.example.com", base_path="v1", certificate=acm.Certificate.from_certificate_arn(
            stack, "Certificate", "arn:aws:acm:eu-west-1:123456789012:certificate/abc")),
        alarms=SecureApiAlarmsProps(latency_p90=LatencyAlarmOptions(max_latency=Duration.seconds(1)),
                                    client_error_rate=ThresholdAlarmOptions(enabled=False)),
        routes=[
            ApiRouteDefinition.of(ApiMethod.GET, "/orders", orders, required_query_strings=["status"]),
            ApiRouteDefinition.of(ApiMethod.POST, "/orders", orders, api_key_required=True,
                                  request_schema=apigateway.JsonSchema(type=apigateway.JsonSchemaType.OBJECT, required=["sku"])),
        ],
    )
    b.by_id = b.api.add_route(ApiMethod.GET, "/orders/{orderId}", orders, authorization=ApiAuthorization.cognito(
        pool, scopes=["orders/read"], results_cache_ttl=Duration.minutes(1)))
    # IAM is the user's opt-in (AwsSolutions-COG4): acknowledged where the finding is, the route's method.
    b.admin = b.api.add_route(ApiMethod.POST, "/admin", orders, authorization=ApiAuthorization.iam())
    cdk.Validations.of(b.admin.api_method.node.default_child).acknowledge(
        cdk.Acknowledgment(id="AwsSolutions-COG4", reason="Service-to-service route: callers sign with SigV4 (IAM)."))
    b.grant = b.api.grant_invoke(function(stack, "Caller"), ApiMethod.POST, "/admin")
    b.plan = b.api.add_usage_plan("Partners", api_keys=[apigateway.ApiKey(stack, "PartnerKey")],
                                  throttle=ApiThrottleOptions(rate_limit=10, burst_limit=20),
                                  quota=apigateway.QuotaSettings(limit=10000, period=apigateway.Period.MONTH))
    b.app.synth()
    b.template = Template.from_stack(stack)
    return b


def test_synthesizes_a_cognito_authorized_api_behind_a_firewall_and_no_finding(built):
    """Synthesized with the STANDARD packs registered: a finding (other than the acknowledged opt-in) would have
    failed synthesis."""
    t = built.template
    t.resource_count_is("AWS::WAFv2::WebACLAssociation", 1)
    t.has_resource_properties("AWS::ApiGateway::Method", {"HttpMethod": "GET", "AuthorizationType": "COGNITO_USER_POOLS"})


def test_routes_come_back_as_structs(built):
    api = built.api
    assert [(r.method, r.path) for r in api.routes] == [
        (ApiMethod.GET, "/orders"), (ApiMethod.POST, "/orders"), (ApiMethod.GET, "/orders/{orderId}"), (ApiMethod.POST, "/admin")]
    assert isinstance(built.by_id, ApiRoute)
    assert isinstance(built.by_id.api_method, apigateway.Method)
    assert [r.authorization.kind for r in api.routes] == [ApiAuthorizationKind.COGNITO] * 3 + [ApiAuthorizationKind.IAM]
    assert built.grant.success
    assert isinstance(built.plan, apigateway.UsagePlan)
    assert len(api.alarms) == 3  # client error rate switched off through the struct


def test_every_authorization_factory():
    stack = stack_in(cdk.App(), "Kinds")
    authorizer = function(stack, "Authorizer").lambda_function
    kinds = [
        ApiAuthorization.cognito(cognito.UserPool.from_user_pool_id(stack, "Users", USER_POOL_ID)).kind,
        ApiAuthorization.iam().kind,
        ApiAuthorization.lambda_token(authorizer, header_name="X-Token", validation_regex="^Bearer .+$",
                                      results_cache_ttl=Duration.seconds(0)).kind,
        ApiAuthorization.lambda_request(authorizer, [apigateway.IdentitySource.header("X-Tenant")],
                                        results_cache_ttl=Duration.minutes(1)).kind,
    ]
    assert kinds == [ApiAuthorizationKind.COGNITO, ApiAuthorizationKind.IAM, ApiAuthorizationKind.LAMBDA_TOKEN,
                     ApiAuthorizationKind.LAMBDA_REQUEST]


def test_a_routes_options_reach_the_api():
    """What the dict lost before (#10 item 14): api_key_required and required_query_strings, given to
    ApiRouteDefinition.of as keyword arguments, are on the method; a misspelled option is a TypeError."""
    stack = stack_in(cdk.App(), "Options")
    handler = function(stack, "Handler").lambda_function
    api = SecureApi(stack, "Api", authorization=ApiAuthorization.iam(), cloud_watch_role=ApiCloudWatchRole.EXISTING,
                    routes=[ApiRouteDefinition.of(ApiMethod.GET, "/orders", handler, api_key_required=True,
                                                  required_query_strings=["status"])])
    api.add_usage_plan("Plan")
    method = Template.from_stack(stack).to_json()["Resources"][stack.get_logical_id(api.routes[0].api_method.node.default_child)]
    assert method["Properties"]["ApiKeyRequired"] is True
    assert method["Properties"]["RequestParameters"] == {"method.request.querystring.status": True}
    with pytest.raises(TypeError, match="api_key_requried"):
        ApiRouteDefinition.of(ApiMethod.GET, "/orders", handler, api_key_requried=True)


def test_a_route_given_as_a_dict_is_refused():
    """A dict inside routes would reach SecureApi without its snake_case keys: it is refused, never read."""
    stack = stack_in(cdk.App(), "Dicts")
    handler = function(stack, "Handler").lambda_function
    with pytest.raises(Exception, match="ApiRouteDefinition"):
        SecureApi(stack, "Api", authorization=ApiAuthorization.iam(), cloud_watch_role=ApiCloudWatchRole.EXISTING,
                  routes=[{"method": ApiMethod.GET, "path": "/orders", "handler": handler, "api_key_required": True}])
