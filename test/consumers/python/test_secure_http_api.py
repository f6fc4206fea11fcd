"""SecureHttpApi from Python: a JWT default, routes in the props (``HttpApiRouteProps``) and through
``add_route`` with Cognito, Lambda and IAM authorization, ``grant_invoke``, ``ApiThrottleOptions``;
in STANDARD and REGULATED, with ``ComplianceChecks.enable`` on (synthesis fails on any finding).
The anonymous route's opt-in finding (AwsSolutions-APIG4) is asserted exactly.
"""
import re

import aws_cdk as cdk
import pytest
from aws_cdk import Duration
from aws_cdk import aws_cognito as cognito
from aws_cdk.assertions import Template

from cdk_bulwark import (
    ApiMethod,
    ApiThrottleOptions,
    ComplianceChecks,
    CompliancePolicy,
    ComplianceProfile,
    HttpApiAuthorization,
    HttpApiRouteProps,
    Monitoring,
    SecureFunction,
    SecureHttpApi,
)

from conftest import USER_POOL_ID, inline_code, nag_violations, resource_of, stack_in, statements_of

PROFILES = [ComplianceProfile.STANDARD, ComplianceProfile.REGULATED]
ISSUER = "https://issuer.example.com/"


def function(stack: cdk.Stack, construct_id: str) -> SecureFunction:
    return SecureFunction(stack, construct_id, code=inline_code(), handler="index.handler")


def build(profile: ComplianceProfile) -> dict:
    app = cdk.App()
    CompliancePolicy.set_default_profile(app, profile)
    packs = ComplianceChecks.enable(app)
    stack = stack_in(app, ("Standard" if profile == ComplianceProfile.STANDARD else "Regulated") + "Http")
    Monitoring(stack, "Monitoring", email_addresses=["oncall@example.com"])
    handler = function(stack, "Orders").lambda_function
    pool = cognito.UserPool.from_user_pool_id(stack, "Users", USER_POOL_ID)
    client = cognito.UserPoolClient.from_user_pool_client_id(stack, "Client", "client123")
    api = SecureHttpApi(stack, "Api",
                        authorization=HttpApiAuthorization.jwt(ISSUER, ["orders-api"]),
                        throttle=ApiThrottleOptions(rate_limit=50, burst_limit=100),
                        routes=[HttpApiRouteProps(method=ApiMethod.GET, path="/orders/{orderId}", handler=handler)])
    routes = {
        "jwt": api.routes[0],
        "cognito": api.add_route(ApiMethod.POST, "/orders", handler,
                                 authorization=HttpApiAuthorization.cognito(pool, [client], scopes=["orders/write"])),
        "lambda": api.add_route(ApiMethod.GET, "/tenants", handler, authorization=HttpApiAuthorization.lambda_authorizer(
            function(stack, "Authorizer").lambda_function, identity_source=["$request.header.X-Tenant"],
            results_cache_ttl=Duration.seconds(0))),
        "iam": api.add_route(ApiMethod.GET, "/reports", handler, authorization=HttpApiAuthorization.iam()),
    }
    app.synth()
    return {"profile": profile, "app": app, "packs": packs, "stack": stack, "api": api, "routes": routes,
            "template": Template.from_stack(stack)}


@pytest.fixture(scope="module", params=PROFILES, ids=lambda p: p.name)
def system(request):
    return build(request.param)


def test_default_stage_is_throttled_and_access_logged(system):
    t, stack, api = system["template"], system["stack"], system["api"]
    stage = resource_of(t, stack, api.stage)["Properties"]
    assert (stage["StageName"], stage["AutoDeploy"]) == ("$default", True)
    assert stage["DefaultRouteSettings"]["ThrottlingRateLimit"] == 50
    assert stage["DefaultRouteSettings"]["ThrottlingBurstLimit"] == 100
    assert stage["AccessLogSettings"]["DestinationArn"] == stack.resolve(api.access_log_group.log_group_arn)
    assert len(api.alarms) == 3


def test_authorization_per_route(system):
    t, stack, routes = system["template"], system["stack"], system["routes"]
    types = {name: resource_of(t, stack, route)["Properties"]["AuthorizationType"] for name, route in routes.items()}
    assert types == {"jwt": "JWT", "cognito": "JWT", "lambda": "CUSTOM", "iam": "AWS_IAM"}
    assert resource_of(t, stack, routes["cognito"])["Properties"]["AuthorizationScopes"] == ["orders/write"]
    t.has_resource_properties("AWS::ApiGatewayV2::Authorizer", {
        "AuthorizerType": "JWT", "JwtConfiguration": {"Issuer": ISSUER, "Audience": ["orders-api"]}})
    t.has_resource_properties("AWS::ApiGatewayV2::Authorizer", {
        "AuthorizerType": "REQUEST", "IdentitySource": ["$request.header.X-Tenant"], "AuthorizerResultTtlInSeconds": 0})


def test_grant_invoke_on_the_iam_route_and_its_finding():
    """The grant names the route on every stage (``*``), which AwsSolutions-IAM5 flags on the caller's
    policy: the user's to acknowledge."""
    app = cdk.App()
    stack = stack_in(app, "Signed")
    api = SecureHttpApi(stack, "Api", authorization=HttpApiAuthorization.iam())
    api.add_route(ApiMethod.GET, "/reports", function(stack, "Reports").lambda_function)
    caller = function(stack, "Caller")
    grant = api.grant_invoke(caller, ApiMethod.GET, "/reports")
    app.synth()
    assert grant.success
    statements = [s for s in statements_of(Template.from_stack(stack), stack, caller.role) if s["Action"] == "execute-api:Invoke"]
    assert len(statements) == 1
    assert "/*/GET/reports" in str(statements[0]["Resource"])
    assert [f for f in nag_violations(app, ComplianceProfile.STANDARD) if "IAM5" in f] == [
        "AwsSolutions: AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:execute-api:eu-west-1:123456789012:<ApiCD79AAA0>/*/GET/reports]"
        " @ Signed/Caller/ServiceRole/DefaultPolicy/Resource"]


def test_no_findings_in_the_profiles_packs(system):
    assert len(system["packs"]) == (5 if system["profile"] == ComplianceProfile.REGULATED else 2)
    assert nag_violations(system["app"], system["profile"]) == []


@pytest.mark.parametrize("profile", PROFILES, ids=lambda p: p.name)
def test_an_anonymous_route_leaves_exactly_apig4(profile):
    app = cdk.App()
    CompliancePolicy.set_default_profile(app, profile)
    stack = stack_in(app, "Open")
    api = SecureHttpApi(stack, "Api", authorization=HttpApiAuthorization.jwt(ISSUER, ["orders-api"]))
    route = api.add_route(ApiMethod.GET, "/health", function(stack, "Health").lambda_function, allow_anonymous=True)
    app.synth()
    assert nag_violations(app, profile) == [f"AwsSolutions: AwsSolutions-APIG4 @ {route.node.default_child.node.path}"]


def test_a_route_without_authorization_is_refused():
    stack = stack_in(cdk.App(), "Errors")
    api = SecureHttpApi(stack, "Api")
    with pytest.raises(RuntimeError, match=re.escape("SecureHttpApi 'Errors/Api': route 'GET /orders' has no authorization.")):
        api.add_route(ApiMethod.GET, "/orders", function(stack, "Handler").lambda_function)
