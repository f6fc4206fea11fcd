"""UserDirectory from Python: the ``UserDirectoryMfa`` and ``UserDirectoryClientKind`` enums, Durations, an
alarm struct, ``add_group`` and ``add_client`` (with aws-cdk-lib OAuth scopes in a list), getters that
hand back lists of aws-cdk-lib constructs, and a metric method that takes a construct."""
import pytest
from aws_cdk import Duration
from aws_cdk import aws_cognito as cognito
from aws_cdk.assertions import Template

from cdk_bulwark import (
    ThresholdAlarmOptions,
    UserDirectory,
    UserDirectoryAlarmsProps,
    UserDirectoryClientKind,
    UserDirectoryMfa,
)

from conftest import checked_stack


@pytest.fixture(scope="module")
def built():
    b = checked_stack("Shop")
    b.users = UserDirectory(
        b.stack, "Users",
        mfa=UserDirectoryMfa.REQUIRED,
        password_min_length=16,
        temporary_password_validity=Duration.days(1),
        domain_prefix="example-shop-login",
        groups=["admins"],
        alarms=UserDirectoryAlarmsProps(sign_in_throttles=ThresholdAlarmOptions(threshold=5)),
    )
    b.auditors = b.users.add_group("auditors", description="Read-only access to the audit trail", precedence=10)
    b.web = b.users.add_client("Web", kind=UserDirectoryClientKind.PUBLIC_CLIENT,
                               callback_urls=["https://shop.example.com/callback"], access_token_validity=Duration.minutes(15))
    read = cognito.ResourceServerScope(scope_name="read", scope_description="Read orders")
    server = b.users.user_pool.add_resource_server("OrdersApi", identifier="orders", scopes=[read])
    b.backend = b.users.add_client("Backend", kind=UserDirectoryClientKind.CONFIDENTIAL_CLIENT,
                                   client_credentials_scopes=[cognito.OAuthScope.resource_server(server, read)])
    b.app.synth()
    b.template = Template.from_stack(b.stack)
    return b


def test_synthesizes_a_user_pool_that_requires_mfa_and_no_finding(built):
    """Synthesized with the STANDARD packs registered: a finding would have failed synthesis."""
    built.template.has_resource_properties("AWS::Cognito::UserPool", {"MfaConfiguration": "ON"})


def test_groups_clients_and_getters(built):
    users = built.users
    assert isinstance(users.user_pool, cognito.UserPool)
    assert users.feature_plan == cognito.FeaturePlan.ESSENTIALS
    assert users.domain is not None
    assert [g.node.id for g in users.groups] == ["admins", "auditors"]
    assert users.groups[1].node.path == built.auditors.node.path
    assert [c.node.path for c in users.clients] == [built.web.node.path, built.backend.node.path]
    assert len(users.alarms) == 2  # per signing-in client: the web client's
    assert users.metric_sign_in_successes(built.web).metric_name == "SignInSuccesses"
