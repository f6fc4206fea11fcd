"""UserDirectory from Python: MFA (``UserDirectoryMfa``), a prefix domain, groups from the props and
``add_group``, a public and a confidential (client-credentials) client through ``add_client``
(``UserDirectoryClientKind``), tuned alarms, and a SecureApi whose routes are authorized by
``directory.user_pool``; in STANDARD and REGULATED.

One app per profile, the profile set as the app's default and ``ComplianceChecks.enable`` on (so
synthesis itself fails on any finding), built and synthesized once; the tests read the template
and run the profile's cdk-nag packs again. The smallest directory and the optional-MFA opt-in are
checked on their own.
"""
import re

import aws_cdk as cdk
import pytest
from aws_cdk import Duration
from aws_cdk import aws_cognito as cognito
from aws_cdk.assertions import Match, Template

from cdk_bulwark import (
    ApiAuthorization,
    ApiCloudWatchRole,
    ApiMethod,
    ComplianceChecks,
    CompliancePolicy,
    ComplianceProfile,
    Monitoring,
    SecureApi,
    SecureFunction,
    ThresholdAlarmOptions,
    UserDirectory,
    UserDirectoryAlarmsProps,
    UserDirectoryClientKind,
    UserDirectoryMfa,
)

from conftest import inline_code, method_of, nag_violations, resource_of, stack_in, warning_ids

PROFILES = [ComplianceProfile.STANDARD, ComplianceProfile.REGULATED]
CALLBACK = "https://shop.example.com/callback"


def build(profile: ComplianceProfile) -> dict:
    prefix = "Standard" if profile == ComplianceProfile.STANDARD else "Regulated"
    app = cdk.App()
    CompliancePolicy.set_default_profile(app, profile)
    packs = ComplianceChecks.enable(app)

    stack = stack_in(app, f"{prefix}Shop")
    Monitoring(stack, "Monitoring", email_addresses=["oncall@example.com"])
    users = UserDirectory(
        stack, "Users",
        mfa=UserDirectoryMfa.REQUIRED,
        password_min_length=16,
        domain_prefix=f"example-{prefix.lower()}-shop",
        groups=["admins"],
        alarms=UserDirectoryAlarmsProps(sign_in_throttles=ThresholdAlarmOptions(threshold=5)),
    )
    auditors = users.add_group("auditors", description="Read-only access to the audit trail", precedence=10)
    web = users.add_client("Web", kind=UserDirectoryClientKind.PUBLIC_CLIENT,
                           callback_urls=[CALLBACK, "http://localhost:3000/callback"],
                           logout_urls=["https://shop.example.com/"],
                           access_token_validity=Duration.minutes(15))
    read = cognito.ResourceServerScope(scope_name="read", scope_description="Read orders")
    server = users.user_pool.add_resource_server("OrdersApi", identifier="orders", scopes=[read])
    backend = users.add_client("Backend", kind=UserDirectoryClientKind.CONFIDENTIAL_CLIENT,
                               client_credentials_scopes=[cognito.OAuthScope.resource_server(server, read)])

    # The directory's users call the API: ID tokens by default, the backend's access token on /orders.
    handler = SecureFunction(stack, "Handler", code=inline_code(), handler="index.handler")
    api = SecureApi(stack, "ShopApi", user_pool=users.user_pool, cloud_watch_role=ApiCloudWatchRole.EXISTING)
    profile_route = api.add_route(ApiMethod.GET, "/profile", handler.lambda_function)
    orders_route = api.add_route(ApiMethod.GET, "/orders", handler.lambda_function,
                                 authorization=ApiAuthorization.cognito(users.user_pool, scopes=["orders/read"]))

    app.synth()  # runs the profile's packs: any finding raises here
    return {
        "profile": profile, "app": app, "packs": packs, "stack": stack, "users": users, "auditors": auditors,
        "web": web, "backend": backend, "server": server, "api": api, "profile_route": profile_route, "orders_route": orders_route,
        "template": Template.from_stack(stack),
    }


@pytest.fixture(scope="module", params=PROFILES, ids=lambda p: p.name)
def shop(request):
    return build(request.param)


# --- The user pool ---------------------------------------------------------------------------

def test_user_pool_requires_mfa_and_a_strong_password_and_is_retained(shop):
    t, stack, users = shop["template"], shop["stack"], shop["users"]
    assert isinstance(users.user_pool, cognito.UserPool)
    assert users.compliance_profile == shop["profile"]
    pool = resource_of(t, stack, users.user_pool)
    assert pool["DeletionPolicy"] == "Retain"
    properties = pool["Properties"]
    assert properties["MfaConfiguration"] == "ON"
    assert properties["EnabledMfas"] == ["SOFTWARE_TOKEN_MFA"]
    assert properties["DeletionProtection"] == "ACTIVE"
    assert properties["UsernameAttributes"] == ["email"]
    assert properties["AdminCreateUserConfig"]["AllowAdminCreateUserOnly"] is True
    assert properties["AccountRecoverySetting"] == {"RecoveryMechanisms": [{"Name": "verified_email", "Priority": 1}]}
    assert properties["Policies"]["PasswordPolicy"] == {
        "MinimumLength": 16, "RequireLowercase": True, "RequireUppercase": True, "RequireNumbers": True,
        "RequireSymbols": True, "TemporaryPasswordValidityDays": 3, "PasswordHistorySize": 4}


def test_threat_protection_in_regulated_only(shop):
    t, stack, users = shop["template"], shop["stack"], shop["users"]
    regulated = shop["profile"] == ComplianceProfile.REGULATED
    properties = resource_of(t, stack, users.user_pool)["Properties"]
    assert users.feature_plan == (cognito.FeaturePlan.PLUS if regulated else cognito.FeaturePlan.ESSENTIALS)
    assert properties["UserPoolTier"] == ("PLUS" if regulated else "ESSENTIALS")
    if regulated:
        assert properties["UserPoolAddOns"] == {"AdvancedSecurityMode": "ENFORCED"}
        t.has_resource_properties("AWS::Cognito::UserPoolRiskConfigurationAttachment", {
            "UserPoolId": stack.resolve(users.user_pool.user_pool_id),
            "ClientId": "ALL",
            "CompromisedCredentialsRiskConfiguration": {"Actions": {"EventAction": "BLOCK"}},
        })
    else:
        assert "UserPoolAddOns" not in properties
        t.resource_count_is("AWS::Cognito::UserPoolRiskConfigurationAttachment", 0)


def test_domain_and_groups(shop):
    t, stack, users = shop["template"], shop["stack"], shop["users"]
    assert users.domain is not None
    t.has_resource_properties("AWS::Cognito::UserPoolDomain", {
        "Domain": f"example-{shop['profile'].name.lower()}-shop",
        "UserPoolId": stack.resolve(users.user_pool.user_pool_id),
    })
    assert [g.node.id for g in users.groups] == ["admins", "auditors"]
    assert shop["auditors"].node.path == users.groups[1].node.path
    t.resource_count_is("AWS::Cognito::UserPoolGroup", 2)
    t.has_resource_properties("AWS::Cognito::UserPoolGroup", {
        "GroupName": "auditors", "Description": "Read-only access to the audit trail", "Precedence": 10,
    })
    t.has_resource_properties("AWS::Cognito::UserPoolGroup", {"GroupName": "admins", "Precedence": Match.absent()})


# --- App clients -----------------------------------------------------------------------------

def test_public_client_signs_in_with_srp_or_the_code_grant_without_a_secret(shop):
    t, stack, web = shop["template"], shop["stack"], shop["web"]
    client = resource_of(t, stack, web)["Properties"]
    assert client["GenerateSecret"] is False
    assert client["AllowedOAuthFlows"] == ["code"]
    assert client["AllowedOAuthFlowsUserPoolClient"] is True
    assert client["CallbackURLs"] == [CALLBACK, "http://localhost:3000/callback"]
    assert client["LogoutURLs"] == ["https://shop.example.com/"]
    assert sorted(client["AllowedOAuthScopes"]) == ["email", "openid", "profile"]
    assert sorted(client["ExplicitAuthFlows"]) == ["ALLOW_REFRESH_TOKEN_AUTH", "ALLOW_USER_SRP_AUTH"]
    assert client["PreventUserExistenceErrors"] == "ENABLED"
    assert client["EnableTokenRevocation"] is True
    assert (client["AccessTokenValidity"], client["IdTokenValidity"], client["RefreshTokenValidity"]) == (15, 60, 43200)
    assert client["TokenValidityUnits"] == {"AccessToken": "minutes", "IdToken": "minutes", "RefreshToken": "minutes"}


def test_confidential_client_gets_machine_to_machine_tokens(shop):
    t, stack, backend = shop["template"], shop["stack"], shop["backend"]
    client = resource_of(t, stack, backend)["Properties"]
    assert client["GenerateSecret"] is True
    assert client["AllowedOAuthFlows"] == ["client_credentials"]
    # "orders/read": the resource server's identifier, read from the resource server.
    server_ref = {"Ref": stack.get_logical_id(shop["server"].node.default_child)}
    assert client["AllowedOAuthScopes"] == [{"Fn::Join": ["", [server_ref, "/read"]]}]
    assert "CallbackURLs" not in client
    assert [c.node.path for c in shop["users"].clients] == [shop["web"].node.path, backend.node.path]


def test_alarms_per_signing_in_client(shop):
    t, stack, users, web = shop["template"], shop["stack"], shop["users"], shop["web"]
    dimensions = [{"Name": "UserPool", "Value": stack.resolve(users.user_pool.user_pool_id)},
                  {"Name": "UserPoolClient", "Value": stack.resolve(web.user_pool_client_id)}]
    alarm_topic = stack.resolve(Monitoring.of(stack).alarm_topic.topic_arn)
    t.has_resource_properties("AWS::CloudWatch::Alarm", {
        "Namespace": "AWS/Cognito", "MetricName": "SignInThrottles", "Statistic": "Sum", "Threshold": 5, "Period": 300,
        "Dimensions": dimensions, "AlarmActions": [alarm_topic],
    })
    t.has_resource_properties("AWS::CloudWatch::Alarm", {
        "Namespace": "AWS/Cognito", "MetricName": "TokenRefreshThrottles", "Threshold": 0, "Dimensions": dimensions,
    })
    # The client-credentials client signs nobody in: no alarms.
    assert len(users.alarms) == 2
    assert len(t.find_resources("AWS::CloudWatch::Alarm", {"Properties": {"Namespace": "AWS/Cognito"}})) == 2
    assert users.metric_sign_in_successes(web).metric_name == "SignInSuccesses"


# --- The API authorized by the directory -----------------------------------------------------

def test_api_routes_are_authorized_by_the_directorys_user_pool(shop):
    t, stack, users = shop["template"], shop["stack"], shop["users"]
    pool_arn = stack.resolve(users.user_pool.user_pool_arn)
    t.resource_count_is("AWS::ApiGateway::Authorizer", 2)  # the API's, and the scoped route's
    for authorizer in t.find_resources("AWS::ApiGateway::Authorizer").values():
        assert authorizer["Properties"]["Type"] == "COGNITO_USER_POOLS"
        assert authorizer["Properties"]["ProviderARNs"] == [pool_arn]
    profile_method = method_of(t, stack, shop["profile_route"])
    orders_method = method_of(t, stack, shop["orders_route"])
    assert profile_method["AuthorizationType"] == orders_method["AuthorizationType"] == "COGNITO_USER_POOLS"
    assert "AuthorizationScopes" not in profile_method
    assert orders_method["AuthorizationScopes"] == ["orders/read"]
    t.resource_count_is("AWS::ApiGateway::Account", 0)


def test_no_findings_in_the_profiles_packs(shop):
    profile = shop["profile"]
    assert len(shop["packs"]) == (5 if profile == ComplianceProfile.REGULATED else 2)
    assert nag_violations(shop["app"], profile) == []


# --- Compliance of the smallest directory and the opt-in -------------------------------------

@pytest.mark.parametrize("profile", PROFILES, ids=lambda p: p.name)
def test_minimal_directory_has_no_findings(profile):
    app = cdk.App()
    CompliancePolicy.set_default_profile(app, profile)
    ComplianceChecks.enable(app)
    stack = stack_in(app, "Minimal")
    users = UserDirectory(stack, "Users")
    app.synth()
    assert nag_violations(app, profile) == []
    assert users.alarms == [] and users.clients == [] and users.domain is None


@pytest.mark.parametrize("profile", PROFILES, ids=lambda p: p.name)
def test_optional_mfa_leaves_exactly_cog2(profile):
    app = cdk.App()
    CompliancePolicy.set_default_profile(app, profile)
    stack = stack_in(app, "OptionalMfa")
    UserDirectory(stack, "Users", mfa=UserDirectoryMfa.OPTIONAL)
    app.synth()
    assert nag_violations(app, profile) == ["AwsSolutions: AwsSolutions-COG2 @ OptionalMfa/Users/UserPool/Resource"]
    Template.from_stack(stack).has_resource_properties("AWS::Cognito::UserPool", {"MfaConfiguration": "OPTIONAL"})


def test_an_oauth_client_without_a_domain_warns():
    stack = stack_in(cdk.App(), "NoDomain")
    users = UserDirectory(stack, "Users")
    users.add_client("Web", kind=UserDirectoryClientKind.PUBLIC_CLIENT, callback_urls=[CALLBACK])
    assert "cdk-bulwark:user-directory:no-domain" in warning_ids(stack)


# --- Errors ----------------------------------------------------------------------------------

@pytest.fixture
def users():
    return UserDirectory(stack_in(cdk.App(), "Errors"), "Users")


def test_client_credentials_on_a_public_client_are_refused(users):
    read = cognito.ResourceServerScope(scope_name="read", scope_description="Read orders")
    server = users.user_pool.add_resource_server("OrdersApi", identifier="orders", scopes=[read])
    # The scope's name holds the resource server's identifier as a token, shown as such in the message.
    with pytest.raises(RuntimeError, match=re.escape("UserDirectory 'Errors/Users': clientCredentialsScopes of client 'Mobile' is ")
                       + ".*/read.*" + re.escape("; the client-credentials grant needs a client secret: "
                                                 "use UserDirectoryClientKind.CONFIDENTIAL_CLIENT")):
        users.add_client("Mobile", kind=UserDirectoryClientKind.PUBLIC_CLIENT,
                         client_credentials_scopes=[cognito.OAuthScope.resource_server(server, read)])
    assert users.clients == []


def test_a_plain_http_callback_is_refused(users):
    with pytest.raises(RuntimeError, match=re.escape(
            "UserDirectory 'Errors/Users': callbackUrls of client 'Web' is 'http://shop.example.com/callback'; "
            "each URL must be https:// (http:// only for localhost)")):
        users.add_client("Web", kind=UserDirectoryClientKind.PUBLIC_CLIENT, callback_urls=["http://shop.example.com/callback"])


def test_a_duplicate_group_is_refused(users):
    users.add_group("admins")
    with pytest.raises(RuntimeError, match=re.escape(
            "UserDirectory 'Errors/Users': group name is 'admins'; a group of this name already exists in this directory")):
        users.add_group("admins", precedence=1)


def test_a_reserved_word_in_the_domain_prefix_is_refused():
    stack = stack_in(cdk.App(), "Errors")
    with pytest.raises(RuntimeError) as error:
        UserDirectory(stack, "Users", domain_prefix="my-aws-login")
    assert str(error.value) == ("UserDirectory 'Errors/Users': domainPrefix is 'my-aws-login'; it contains 'aws'; "
                                "Cognito refuses prefixes that contain 'aws', 'amazon' or 'cognito'")


def test_the_client_kind_is_required_and_typed(users):
    with pytest.raises(TypeError, match=re.escape("missing 1 required keyword-only argument: 'kind'")):
        users.add_client("Web")
    with pytest.raises(TypeError, match=re.escape(
            "type of argument kind must be cdk_bulwark.UserDirectoryClientKind; got str instead")):
        users.add_client("Web", kind="PUBLIC_CLIENT")
