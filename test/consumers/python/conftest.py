"""What a Python user of cdk-bulwark writes around the constructs.

Everything goes through the published wheel (``cdk_bulwark``) and aws-cdk-lib and cdk-nag from PyPI.
Template details are the TypeScript suite's job: these tests prove the jsii boundary and that each
construct synthesizes from Python with the STANDARD cdk-nag packs finding nothing.
"""
from types import SimpleNamespace

import aws_cdk as cdk
from aws_cdk import aws_lambda as lambda_

from cdk_bulwark import ComplianceChecks, SecureFunction

ACCOUNT = "123456789012"
#: An imported Cognito user pool (``UserPool.from_user_pool_id``) for the API constructs' authorizers.
USER_POOL_ID = "eu-west-1_abcdefghi"


def inline_code() -> lambda_.Code:
    return lambda_.Code.from_inline("exports.handler = async () => ({ batchItemFailures: [] });")


def env() -> cdk.Environment:
    """A concrete account and region, as a deployed stack has."""
    return cdk.Environment(account=ACCOUNT, region="eu-west-1")


def stack_in(app: cdk.App, stack_id: str) -> cdk.Stack:
    return cdk.Stack(app, stack_id, env=env())


def function(stack: cdk.Stack, construct_id: str) -> SecureFunction:
    return SecureFunction(stack, construct_id, code=inline_code(), handler="index.handler")


def checked_stack(stack_id: str) -> SimpleNamespace:
    """An app with the STANDARD packs registered the README's way (``ComplianceChecks.enable`` right
    after ``cdk.App()``) and a stack in it. ``synth()`` fails on any unacknowledged finding."""
    app = cdk.App()
    packs = ComplianceChecks.enable(app)
    return SimpleNamespace(app=app, packs=packs, stack=stack_in(app, stack_id))

